import Foundation
import Synchronization
import StacktopModel
import StacktopServices

/// The first read of a large server list, shown as it arrives: a small first page of details (on screen
/// in well under a second), then pages one after another, each `growth` times the one before (20, 500,
/// 1,000: three requests for 1,000 servers), each handed on as it lands, with the count Nova's `/limits` gives (`totalInstancesUsed`,
/// asked once the first page is in) as the progress figure's total. Measured on the peer at 1,000
/// servers: Nova's API worker is one Python process, so pages asked for at once, or a separate list of
/// names first, cost more in all than they save, and each page costs Nova about half a second of its own
/// (1.4 s for 20 servers, 4.4 s for 380 under load), so pages that double (20, 40, 80…) took 15 s where
/// one page takes 11.
struct ServerStream: Sendable {
    let client: OpenStackClient
    let headers: [String: String]
    let tuning: ServerStreamTuning
    let partial: @Sendable (PartialSnapshot) -> Void
    /// Opened once the first page is in (or failed): the rest of a cold read waits for it.
    let firstPage: OneTimeSignal

    /// Every server with its details, and the server time of the first answer (the `changes-since` base:
    /// whatever changed while the pages came in is read again by the next incremental read).
    func read() async throws -> (servers: [Instance], readAt: Date?) {
        defer { firstPage.open() }
        let base = try await client.session.baseURL(for: .compute)
        var total: Task<Int?, Never>?
        defer { total?.cancel() }
        var pageSize = tuning.firstPage
        var url = try KeystoneSession.join(base, path: "servers/detail",
                                           query: [URLQueryItem(name: "limit", value: String(tuning.firstPage))])
        var servers: [Instance] = []
        var seen: Set<String> = [url.absoluteString]
        var readAt: Date?
        while true {
            let response = try await client.send(url: url, headers: headers, what: "Listing servers")
            if readAt == nil { readAt = ResourceFetch.serverDate(response) }
            let page = try NovaDecoder.servers(response.body)
            servers += page.items
            guard let next = page.next, !page.items.isEmpty,
                  var nextURL = OpenStackClient.resolve(next: next, base: base), !seen.contains(nextURL.absoluteString),
                  seen.count < OpenStackClient.maximumPages else {
                return (servers, readAt)
            }
            if total == nil {
                firstPage.open()
                let client = self.client, headers = self.headers
                total = Task {
                    try? NovaDecoder.instancesInUse(
                        try await client.send(.compute, "limits", headers: headers, what: "Reading compute limits").body)
                }
            }
            pageSize = min(tuning.largestPage, max(tuning.firstPage, pageSize * tuning.growth))
            nextURL = Self.withLimit(nextURL, pageSize)
            let count = servers.count < 2 * tuning.firstPage ? nil : await total?.value
            partial(PartialSnapshot(instances: servers, loaded: servers.count, total: count.map { max($0, servers.count) }))
            seen.insert(nextURL.absoluteString)
            url = nextURL
        }
    }

    /// The first page's next link carries its small limit; later pages ask for `limit` each.
    static func withLimit(_ url: URL, _ limit: Int) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        var items = (components.queryItems ?? []).filter { $0.name != "limit" }
        items.append(URLQueryItem(name: "limit", value: String(limit)))
        components.queryItems = items
        return components.url ?? url
    }
}

/// Page sizes of a streamed read (tests make them tiny).
public struct ServerStreamTuning: Sendable, Equatable {
    /// Servers in the first page of details, which is on screen first.
    public var firstPage: Int
    /// Each later page asks for this many times the one before.
    public var growth: Int
    /// The most servers a page asks for (Nova's usual maximum).
    public var largestPage: Int

    public init(firstPage: Int = 20, growth: Int = 25, largestPage: Int = 1000) {
        self.firstPage = firstPage; self.growth = growth; self.largestPage = largestPage
    }
}

/// A door that opens once and lets every waiter through, then everyone after at once.
final class OneTimeSignal: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.open else { return [] }
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    static var alreadyOpen: OneTimeSignal {
        let signal = OneTimeSignal()
        signal.open()
        return signal
    }
}
