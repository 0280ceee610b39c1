import Foundation

/// A self-signed certificate for `localhost` and its key, made once with `openssl req -x509 -newkey ec -pkeyopt
/// ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost`
/// (valid to 2126), for loopback TLS servers in tests.
public enum LoopbackCertificate {
    public static let certificate = """
    -----BEGIN CERTIFICATE-----
    MIIBlDCCATugAwIBAgIUFczOhAGIbWItJMr1NgPF82rulugwCgYIKoZIzj0EAwIw
    FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNDIwMTcwOFoYDzIxMjYxMTEw
    MjAxNzA4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
    PQMBBwNCAATt9gOihng801M8un2JDUfPfhENUNgEFqJEVeExW+yictyAvrkdFA33
    2UHoNb/FG7DS+X59h0st+gQfSpWu0jkLo2kwZzAdBgNVHQ4EFgQU9OA8zanZM/9a
    uuQpqFqnBtxN+x8wHwYDVR0jBBgwFoAU9OA8zanZM/9auuQpqFqnBtxN+x8wDwYD
    VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
    RwAwRAIgWiSxxyTOrfsEqaCGLxqqKmslkjLf1fdP91jPezw4B3cCIBcQDqXz6uha
    HCg55TTHPABlfWrc3AwHDeZOKwJlzZfH
    -----END CERTIFICATE-----

    """
    public static let key = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgenw4gye1opAp7P2f
    M/9/JKfBcmwcG4aUGgX0LQzYQ0WhRANCAATt9gOihng801M8un2JDUfPfhENUNgE
    FqJEVeExW+yictyAvrkdFA332UHoNb/FG7DS+X59h0st+gQfSpWu0jkL
    -----END PRIVATE KEY-----

    """

    public static func write(certificate: String, key: String) throws {
        try Self.certificate.write(toFile: certificate, atomically: true, encoding: .utf8)
        try Self.key.write(toFile: key, atomically: true, encoding: .utf8)
    }
}

/// Values the server's thread records for the test to check afterwards.
public final class Seen: Sendable {
    public init() {}
    private let values = NSLockedDictionary()
    public func set(_ key: String, _ value: String) { values.set(key, value) }
    public func get(_ key: String) -> String? { values.get(key) }
}

final class NSLockedDictionary: @unchecked Sendable {  // every access is under `lock`
    private let lock = NSLock()
    private var values: [String: String] = [:]
    public func set(_ key: String, _ value: String) { lock.lock(); values[key] = value; lock.unlock() }
    public func get(_ key: String) -> String? { lock.lock(); defer { lock.unlock() }; return values[key] }
}
