import Foundation
import StacktopServices

/// An OpenStack microversion such as compute 2.96.
public struct Microversion: Sendable, Equatable, Comparable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses "2.96" (also "v2.96"); nil for "" which older version documents use for "none".
    public init?(_ text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major, minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: Microversion, rhs: Microversion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

/// One entry of a service's version document (`GET` on the service root).
public struct APIVersion: Sendable, Equatable {
    public var id: String
    public var status: String
    /// The microversion range the service supports; nil when it has no microversions.
    public var minVersion: Microversion?
    public var maxVersion: Microversion?
    public var selfURL: URL?

    public init(id: String, status: String, minVersion: Microversion?, maxVersion: Microversion?, selfURL: URL?) {
        self.id = id
        self.status = status
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.selfURL = selfURL
    }

    /// The highest microversion both sides speak, or nil when `wanted` is below the service's minimum.
    public func negotiate(_ wanted: Microversion) -> Microversion? {
        guard let maxVersion else { return nil }
        let chosen = min(wanted, maxVersion)
        if let minVersion, chosen < minVersion { return nil }
        return chosen
    }

    /// Parses the three shapes seen: `{"version": {…}}` (a versioned endpoint), `{"versions": […]}`
    /// (Nova, Glance, Cinder roots) and `{"versions": {"values": […]}}` (Keystone).
    public static func parseDocument(_ body: Data) -> [APIVersion] {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
        if let single = object["version"] as? [String: Any] { return [single].compactMap(parse) }
        if let list = object["versions"] as? [[String: Any]] { return list.compactMap(parse) }
        if let wrapped = object["versions"] as? [String: Any], let list = wrapped["values"] as? [[String: Any]] {
            return list.compactMap(parse)
        }
        return []
    }

    /// The version to use: the one whose self link is `endpoint`, else the CURRENT one, else the highest.
    public static func select(from versions: [APIVersion], endpoint: URL?) -> APIVersion? {
        func normalized(_ url: URL?) -> String? {
            guard var text = url?.absoluteString else { return nil }
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        if let wanted = normalized(endpoint), let match = versions.first(where: { normalized($0.selfURL) == wanted }) {
            return match
        }
        let current = versions.filter { $0.status.uppercased() == "CURRENT" }
        return (current.isEmpty ? versions : current).max { ($0.maxVersion ?? Microversion(0, 0), $0.id) < ($1.maxVersion ?? Microversion(0, 0), $1.id) }
    }

    private static func parse(_ object: [String: Any]) -> APIVersion? {
        guard let id = object["id"] as? String else { return nil }
        let links = object["links"] as? [[String: Any]] ?? []
        let selfLink = links.first { $0["rel"] as? String == "self" }?["href"] as? String
        return APIVersion(id: id, status: object["status"] as? String ?? "",
                          minVersion: (object["min_version"] as? String).flatMap(Microversion.init),
                          maxVersion: (object["version"] as? String).flatMap(Microversion.init),
                          selfURL: selfLink.flatMap(URL.init(string:)))
    }
}

extension ServiceType {
    /// The service name in `OpenStack-API-Version` headers; nil for services without microversions.
    public var microversionName: String? {
        switch self {
        case .compute: "compute"
        case .blockStorage: "volume"
        case .placement: "placement"
        case .identity, .image, .network: nil
        }
    }

    /// The headers that ask for `version`; Nova also still reads its legacy header.
    public func microversionHeaders(_ version: Microversion) -> [String: String] {
        guard let name = microversionName else { return [:] }
        var headers = ["OpenStack-API-Version": "\(name) \(version)"]
        if self == .compute { headers["X-OpenStack-Nova-API-Version"] = version.description }
        return headers
    }
}

extension KeystoneSession {
    /// GETs the service's endpoint and picks its version document (see `APIVersion.select`).
    public func discoverVersion(of service: ServiceType) async throws -> APIVersion {
        let endpoint = try await endpoint(for: service)
        let response = try await send(url: endpoint, what: "Reading the \(service.rawValue) API versions")
        guard let version = APIVersion.select(from: APIVersion.parseDocument(response.body), endpoint: endpoint) else {
            throw BackendError.failed(what: "Reading the \(service.rawValue) API versions at \(endpointText(endpoint))",
                                      reason: "the answer had no version document; check the endpoint in the service catalog")
        }
        return version
    }
}
