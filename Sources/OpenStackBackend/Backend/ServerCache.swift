import Foundation
import StacktopModel

/// The servers last read, so later refreshes ask Nova only for what changed (`changes-since`).
actor ServerCache {
    private var servers: [Instance] = []
    /// Server time of the last read; nil until the first full read.
    private var since: Date?
    private var incrementalReads = 0
    private let fullEvery: Int

    init(fullEvery: Int) { self.fullEvery = fullEvery }

    /// When to ask from, or nil when the next read must be a full one.
    func changesSince() -> Date? { since }

    /// Time for the deleted-server check: list every id and drop the servers gone.
    var checksIDs: Bool { since != nil && incrementalReads >= fullEvery }

    /// Keeps only the servers still listed; false when a listed one is missing here (then all are read).
    func keepOnly(_ ids: Set<String>) -> (servers: [Instance], complete: Bool) {
        servers.removeAll { !ids.contains($0.id) }
        incrementalReads = 0
        return (servers, servers.count == ids.count)
    }

    /// `r`: the next read reads every server again.
    func readAllNext() { since = nil }

    func replaceAll(_ fresh: [Instance], readAt: Date) -> [Instance] {
        servers = fresh
        since = readAt
        incrementalReads = 0
        return servers
    }

    /// Merges changed servers in place (new ones first, as Nova lists newest first) and drops deleted ones.
    func merge(changed: [Instance], deletedIDs: Set<String>, readAt: Date) -> [Instance] {
        var byID = Dictionary(changed.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var merged: [Instance] = []
        for server in servers where !deletedIDs.contains(server.id) {
            merged.append(byID.removeValue(forKey: server.id) ?? server)
        }
        let added = changed.filter { byID[$0.id] != nil && !deletedIDs.contains($0.id) }
        servers = added + merged
        since = readAt
        incrementalReads += 1
        return servers
    }

    func name(of id: String) -> String? {
        servers.first { $0.id == id }?.name
    }

    func forget() {
        since = nil
        servers = []
    }
}
