import Foundation
import StacktopModel
import StacktopServices

/// Consoles on OpenStack: the console log is Nova's `os-getConsoleOutput`; the graphical display is a
/// Nova remote console (a noVNC URL with a short-lived token); the serial console is offered as its
/// websocket URL, since stacktop does not speak Nova's serial proxy protocol itself.
extension OpenStackCloudBackend: ConsoleAccess {
    public var serialConsoleIsRemote: Bool { true }

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

    public func openSerialConsole(instanceID: String, force: Bool) throws -> any SerialConsoleSession {
        throw BackendError.unavailable(feature: "serial console",
                                       reason: "On OpenStack the serial console is a websocket behind Nova's serial proxy, "
            + "which stacktop shows as a URL rather than attaching to; use `stacktop console SERVER` or the C key for it.")
    }

    /// A serial console from Nova (`remote-consoles`, protocol serial): its websocket URL.
    public func serialConsoleURL(instanceID: String) async throws -> String? {
        try await remoteConsole(instanceID: instanceID, protocol: "serial", type: "serial").url
    }

    /// `POST /servers/{id}/remote-consoles` (microversion 2.6+), else the older `os-getVNCConsole` action.
    func remoteConsole(instanceID: String, protocol: String, type: String) async throws -> RemoteConsole {
        let headers = await compute.headers()
        let what = "Asking Nova for the \(`protocol`) console of server \(await serverLabel(instanceID))"
        if let version = await compute.negotiated(), version >= Microversion(2, 6) {
            let body = try Self.json(RemoteConsoleBody(remoteConsole: .init(protocol: `protocol`, type: type)))
            let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))/remote-consoles",
                                                 method: .post, body: body, headers: headers, what: what)
            return try NovaDecoder.remoteConsole(response.body)
        }
        let body = try Self.json(ActionBody("os-getVNCConsole", VNCConsole(type: type)))
        let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))/action", method: .post,
                                             body: body, headers: headers, what: what)
        return try NovaDecoder.remoteConsole(response.body, path: "/servers/{id}/action")
    }
}

/// `{"os-getConsoleOutput": {"length": 409}}`'s argument: how many lines from the end.
struct ConsoleOutput: Encodable { var length: Int }

/// `{"os-getVNCConsole": {"type": "novnc"}}`'s argument.
struct VNCConsole: Encodable { var type: String }

/// `POST /servers/{id}/remote-consoles`: `{"remote_console": {"protocol": "vnc", "type": "novnc"}}`.
struct RemoteConsoleBody: Encodable {
    var remoteConsole: Console
    struct Console: Encodable {
        var `protocol`: String
        var type: String
    }
    enum CodingKeys: String, CodingKey { case remoteConsole = "remote_console" }
}
