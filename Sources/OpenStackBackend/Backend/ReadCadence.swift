import Foundation
import Synchronization
import StacktopServices

/// Which lists a dashboard refresh asks the cloud for, so an idle dashboard (or a wall left on for
/// weeks) costs the cloud next to nothing: servers every refresh through `changes-since` (every other
/// refresh once several in a row found nothing changed), the kinds on screen every refresh, the rest
/// every `slowSeconds`. Always read: a list never read, a list whose last read failed (so a stale kind
/// is retried, and stays marked stale until it answers), a list an action of this backend changed, and
/// everything after `r`.
final class ReadCadence: Sendable {
    private struct State {
        var lastRead: [Int: Date] = [:]
        var failed: SnapshotParts = []
        var changed: SnapshotParts = []
        /// Server reads in a row that found nothing new.
        var quietServerReads = 0
        /// Refreshes since servers were last read.
        var refreshesSinceServers = 0
    }
    private let state = Mutex(State())
    let slowSeconds: Double
    let quietReadsBeforeIdle: Int
    let idleServerEvery: Int

    init(slowSeconds: Double, quietReadsBeforeIdle: Int = 3, idleServerEvery: Int = 2) {
        self.slowSeconds = slowSeconds; self.quietReadsBeforeIdle = quietReadsBeforeIdle
        self.idleServerEvery = idleServerEvery
    }

    /// The lists of `wanted` to read now.
    func due(_ wanted: SnapshotParts, inView: SnapshotParts, full: Bool, now: Date) -> SnapshotParts {
        state.withLock { state in
            var due: SnapshotParts = []
            for part in wanted.members {
                let urgent = full || state.failed.contains(part) || state.changed.contains(part)
                let inViewNow = inView.contains(part)
                // Counting every project's servers lists every server of the cloud: not on the first read
                // unless the Projects panel is open; from then on at the slow cadence.
                if part == .instanceCounts, state.lastRead[part.rawValue] == nil, !urgent, !inViewNow {
                    state.lastRead[part.rawValue] = now
                    continue
                }
                guard let last = state.lastRead[part.rawValue], !urgent else { due.insert(part); continue }
                if part == .servers {
                    let idle = state.quietServerReads >= quietReadsBeforeIdle
                    if !idle || state.refreshesSinceServers + 1 >= idleServerEvery { due.insert(part) }
                } else if inViewNow || now.timeIntervalSince(last) >= slowSeconds {
                    due.insert(part)
                }
            }
            state.refreshesSinceServers = due.contains(.servers) ? 0 : state.refreshesSinceServers + 1
            return due
        }
    }

    /// A list answered (or the cloud said it has none for this user) or failed.
    func finished(_ part: SnapshotParts, failed: Bool, at date: Date) {
        state.withLock { state in
            state.changed.remove(part)
            if failed {
                state.failed.insert(part)
            } else {
                state.failed.remove(part)
                state.lastRead[part.rawValue] = date
            }
        }
    }

    /// A read of servers found something changed (or nothing): idle refreshes read them less often.
    func serversRead(quiet: Bool) {
        state.withLock { $0.quietServerReads = quiet ? $0.quietServerReads + 1 : 0 }
    }

    /// An action changed these lists: the next refresh reads them, and servers at once again.
    func markChanged(_ parts: SnapshotParts) {
        state.withLock { state in
            state.changed.formUnion(parts)
            state.quietServerReads = 0
        }
    }
}

extension SnapshotParts {
    /// Each single list in this set.
    var members: [SnapshotParts] {
        (0..<Self.bitCount).map { SnapshotParts(rawValue: 1 << $0) }.filter { contains($0) }
    }

    static let bitCount = 16

    /// The list a kind's own panel draws its rows from, read every refresh while the panel is open; the
    /// names its columns borrow from other lists follow those lists' own cadence.
    static func own(for kind: ResourceKind) -> SnapshotParts {
        switch kind {
        case .instance: .servers
        case .image: .images
        case .volume: .volumes
        case .volumeSnapshot: .volumeSnapshots
        case .network, .subnet: [.networks, .ports]
        case .securityGroup, .securityGroupRule: .securityGroups
        case .quota: [.quotas, .keypairs]
        case .flavor: .flavors
        case .keypair: .keypairs
        case .project: [.projects, .instanceCounts]
        case .hypervisor: .hypervisors
        case .floatingIP: .floatingIPs
        case .router: .routers
        case .port: .ports
        }
    }
}
