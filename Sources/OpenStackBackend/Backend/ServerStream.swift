import Foundation
import Synchronization
import StacktopModel
import StacktopServices

/// The first read of a large server list, shown as it arrives. Nova takes about 9 ms a server for
/// `/servers/detail` but 1.5 ms for `/servers` (ids and names), so the names come first, from one request
/// beside a small first page of details; once the names are known, every remaining page's marker is
/// too (both lists share Nova's order, newest first), so the other pages are asked for a few at a time
/// instead of one after another, and each page's details fill their rows as they land.
struct ServerStream: Sendable {
    let client: OpenStackClient
    let headers: [String: String]
    let tuning: ServerStreamTuning
    let partial: @Sendable (PartialSnapshot) -> Void

    /// Every server with its details, and the server time of the first answer (the `changes-since` base:
    /// whatever changed while the pages came in is read again by the next incremental read).
    func read() async throws -> (servers: [Instance], readAt: Date?) {
        let progress = StreamProgress(partial: partial)
        let base = try await client.session.baseURL(for: .compute)
        let firstURL = try KeystoneSession.join(base, path: "servers/detail",
                                                query: [URLQueryItem(name: "limit", value: String(tuning.firstPage))])
        async let firstPage = client.send(url: firstURL, headers: headers, what: "Listing servers")
        async let names = client.listAll(.compute, "servers", headers: headers, limit: tuning.namesPage,
                                         what: "Listing server names") { body, response in
            progress.sawDate(ResourceFetch.serverDate(response))
            return try NovaDecoder.servers(body, path: "/servers")
        }
        let first = try await firstPage
        progress.sawDate(ResourceFetch.serverDate(first))
        let firstDecoded = try NovaDecoder.servers(first.body)
        progress.add(details: firstDecoded.items)
        // A list that fits in the first page is complete: no names needed.
        if firstDecoded.next == nil { return (firstDecoded.items, progress.readAt) }
        let nameList = try await names
        progress.setNames(nameList)

        // The pages after the first, each starting after the last server of the one before.
        let start = firstDecoded.items.last.flatMap { last in nameList.firstIndex { $0.id == last.id } }.map { $0 + 1 } ?? 0
        let markers: [String] = stride(from: start, to: nameList.count, by: tuning.page).map { index in
            index == 0 ? "" : nameList[index - 1].id
        }
        do {
            try await withThrowingTaskGroup(of: [Instance].self) { group in
                var pending = markers[...]
                func addNext() throws {
                    guard let marker = pending.popFirst() else { return }
                    var query = [URLQueryItem(name: "limit", value: String(tuning.page))]
                    if !marker.isEmpty { query.append(URLQueryItem(name: "marker", value: marker)) }
                    let url = try KeystoneSession.join(base, path: "servers/detail", query: query)
                    group.addTask {
                        let response = try await client.send(url: url, headers: headers, what: "Listing servers")
                        return try NovaDecoder.servers(response.body).items
                    }
                }
                for _ in 0..<tuning.concurrentPages { try addNext() }
                while let page = try await group.next() {
                    progress.add(details: page)
                    try addNext()
                }
            }
        } catch let error as BackendError where error.isBadRequest {
            // A marker deleted between the two lists: Nova refuses it. Read the rest the plain way.
            return try await plainRead(progress)
        }
        // A row listed by name whose details no page held was deleted while the pages came in (pages
        // after a marker hold every server after it, so nothing is skipped): it is left out.
        return (progress.servers, progress.readAt)
    }

    /// Every page one after another, following Nova's next links.
    private func plainRead(_ progress: StreamProgress) async throws -> (servers: [Instance], readAt: Date?) {
        let list = try await client.listAll(.compute, "servers/detail", headers: headers, limit: tuning.page,
                                            what: "Listing servers") { body, _ in try NovaDecoder.servers(body) }
        return (list, progress.readAt)
    }
}

/// Page sizes of a streamed read (tests make them tiny).
public struct ServerStreamTuning: Sendable, Equatable {
    /// Servers in the first page of details, which is on screen first.
    public var firstPage: Int
    /// Servers per later page of details.
    public var page: Int
    /// Pages of details asked for at once.
    public var concurrentPages: Int
    /// Servers per page of names (Nova's usual maximum).
    public var namesPage: Int

    public init(firstPage: Int = 40, page: Int = 100, concurrentPages: Int = 3, namesPage: Int = 1000) {
        self.firstPage = firstPage; self.page = page; self.concurrentPages = concurrentPages; self.namesPage = namesPage
    }
}

/// What a streamed read has so far; each change is handed on as a partial snapshot.
private final class StreamProgress: Sendable {
    private struct State {
        var names: [Instance]?
        var details: [String: Instance] = [:]
        /// Details in arrival order, for rows the names list does not have (yet).
        var order: [String] = []
        var readAt: Date?
    }
    private let state = Mutex(State())
    let partial: @Sendable (PartialSnapshot) -> Void

    init(partial: @escaping @Sendable (PartialSnapshot) -> Void) { self.partial = partial }

    func sawDate(_ date: Date?) {
        guard let date else { return }
        state.withLock { $0.readAt = min($0.readAt ?? date, date) }
    }

    var readAt: Date? { state.withLock { $0.readAt } }

    func setNames(_ names: [Instance]) {
        let snapshot = state.withLock { state in
            state.names = names
            return Self.partial(state)
        }
        partial(snapshot)
    }

    func add(details: [Instance]) {
        let snapshot = state.withLock { state in
            for server in details {
                if state.details.updateValue(server, forKey: server.id) == nil { state.order.append(server.id) }
            }
            return Self.partial(state)
        }
        partial(snapshot)
    }

    /// The rows with their details.
    var servers: [Instance] { state.withLock { Self.partial($0).instances.filter { $0.state != .loading } } }

    /// Rows in the names list's order (new servers whose details came first lead), each with its
    /// details or as Loading…, and how far the read has come.
    private static func partial(_ state: State) -> PartialSnapshot {
        guard let names = state.names else {
            return PartialSnapshot(instances: state.order.compactMap { state.details[$0] }, loaded: state.details.count,
                                   total: nil)
        }
        let named = Set(names.map(\.id))
        let added = state.order.filter { !named.contains($0) }.compactMap { state.details[$0] }
        let rows = names.map { name in
            state.details[name.id] ?? Instance(id: name.id, name: name.name, state: .loading, vcpus: 0, memoryMiB: 0)
        }
        return PartialSnapshot(instances: added + rows, loaded: state.details.count, total: names.count + added.count)
    }
}

extension BackendError {
    var isBadRequest: Bool {
        if case .remote(_, 400, _, _) = self { return true }
        return false
    }
}
