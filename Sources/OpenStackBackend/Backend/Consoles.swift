import Foundation
import StacktopModel
import StacktopServices
import WebSocketClient

/// Consoles on OpenStack: the console log is Nova's `os-getConsoleOutput`; the graphical display is a
/// Nova remote console (a noVNC URL with a short-lived token); the serial console is Nova's serial proxy,
/// attached in place over a websocket (`WebSocketSerialConsole`).
extension OpenStackCloudBackend: ConsoleAccess {
    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        // Nova counts lines, not bytes; 400 lines of a serial console is about the last 64 KiB.
        let body = try Self.json(ActionBody("os-getConsoleOutput", ConsoleOutput(length: max(1, maxBytes / 160))))
        let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))/action", method: .post,
                                             body: body, headers: await compute.headers(),
                                             what: "Reading the console log of server \(await serverLabel(instanceID))")
        let text = try NovaDecoder.consoleOutput(response.body)
        return Self.lastBytes(of: text, maxBytes: maxBytes)
    }

    /// The end of `text` in at most `maxBytes` of UTF-8, cut at a character boundary ("Grüße", not "GrÃ¼Ãe").
    static func lastBytes(of text: String, maxBytes: Int) -> String {
        var tail = text.utf8.suffix(max(0, maxBytes))
        while let first = tail.first, first & 0xC0 == 0x80 { tail = tail.dropFirst() }   // a continuation byte
        return String(decoding: tail, as: UTF8.self)
    }

    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        let console = try await remoteConsole(instanceID: instanceID, protocol: "vnc", type: "novnc")
        return GraphicsDisplay(type: console.type, endpoint: .url(console.url))
    }

    /// Asks Nova for the serial console's websocket URL, then connects to its serial proxy (TLS checked as
    /// the cloud's API is: `cacert`, or not at all with `insecure`). `force` has no meaning here: Nova's
    /// proxy offers no take-over, and a busy port is said when the proxy drops the connection.
    public func openSerialConsole(instanceID: String, force: Bool) async throws -> any SerialConsoleSession {
        let name = await serverLabel(instanceID)
        let url: String
        do {
            url = try await remoteConsole(instanceID: instanceID, protocol: "serial", type: "serial").url
        } catch let error as BackendError {
            throw Self.serialConsoleRefusal(error, name: name)
        }
        let credentials = session.credentials
        let tls = WebSocketTLS(verify: credentials.verifyTLS, caFile: credentials.caCertPath)
        let connection: WebSocketConnection
        do {
            connection = try await Self.connect(url, tls: tls)
        } catch let error as WebSocketError {
            throw BackendError.unavailable(feature: "serial console",
                                           reason: "Opening the serial console of \(name) failed: " + error.description)
        }
        let notice = connection.url.secure && !tls.verify
            ? "TLS certificate NOT verified (insecure in clouds.yaml)" : nil
        return try WebSocketSerialConsole(connection: connection, name: name, notice: notice)
    }

    /// The blocking connect (at most 10 s) on a thread of its own, not one of the cooperative pool's.
    private static func connect(_ url: String, tls: WebSocketTLS) async throws -> WebSocketConnection {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { () throws(WebSocketError) in try WebSocketConnection.connect(to: url, tls: tls) })
            }
        }
    }

    /// Nova's refusals of a serial console, said as what they mean: not enabled here (400
    /// ConsoleTypeUnavailable, 501 from a driver without one), else as Nova said it.
    static func serialConsoleRefusal(_ error: BackendError, name: String) -> BackendError {
        guard case .remote(_, let status, let reason, _) = error else { return error }
        let lowered = reason.lowercased()
        guard status == 501 || (status == 400 && (lowered.contains("console type") || lowered.contains("unavailable")))
        else { return error }
        return .unavailable(feature: "serial console",
                            reason: "The serial console of \(name) is not enabled on this cloud (Nova answered HTTP \(status): "
                                + "\(reason.droppingStop)); ask the cloud's operator to turn on Nova's [serial_console], "
                                + "or read the guest's console log instead.")
    }

    /// `POST /servers/{id}/remote-consoles` (microversion 2.6+), else the older `os-getVNCConsole` or
    /// `os-getSerialConsole` action.
    func remoteConsole(instanceID: String, protocol: String, type: String) async throws -> RemoteConsole {
        let headers = await compute.headers()
        let what = "Asking Nova for the \(`protocol`) console of server \(await serverLabel(instanceID))"
        if let version = await compute.negotiated(), version >= Microversion(2, 6) {
            let body = try Self.json(RemoteConsoleCreateRequest(remoteConsole: .init(protocol: `protocol`, type: type)))
            let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))/remote-consoles",
                                                 method: .post, body: body, headers: headers, what: what)
            return try NovaDecoder.remoteConsole(response.body)
        }
        let action = `protocol` == "serial" ? "os-getSerialConsole" : "os-getVNCConsole"
        let body = try Self.json(ActionBody(action, VNCConsole(type: type)))
        let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))/action", method: .post,
                                             body: body, headers: headers, what: what)
        return try NovaDecoder.remoteConsole(response.body, path: "/servers/{id}/action")
    }
}

/// `{"os-getConsoleOutput": {"length": 409}}`'s argument: how many lines from the end.
struct ConsoleOutput: Encodable { var length: Int }

/// `{"os-getVNCConsole": {"type": "novnc"}}`'s and `{"os-getSerialConsole": {"type": "serial"}}`'s argument.
struct VNCConsole: Encodable { var type: String }

/// `POST /servers/{id}/remote-consoles`: `{"remote_console": {"protocol": "vnc", "type": "novnc"}}`.
struct RemoteConsoleCreateRequest: Encodable {
    var remoteConsole: Console
    struct Console: Encodable {
        var `protocol`: String
        var type: String
    }
    enum CodingKeys: String, CodingKey { case remoteConsole = "remote_console" }
}
