import StacktopModel
import StacktopServices

/// A distant host's pools, volumes and networks as its last read found them, and when.
///
/// Why: each pool, volume and network costs three round trips, and a refresh every two seconds read them all
/// again whatever was on screen: an idle dashboard on a distant host with 20 volumes sent about 25 calls a second.
/// On a distant connection a read takes them from the previous read instead, unless a panel that shows them is on
/// screen, the read is `r`, an action ran since, or they are older than `maximumAge` (the Overview's pool figures
/// are then at most that old). Hosts nearby are read whole every time: there a call costs microseconds.
struct KeptStorage: Sendable {
    var pools: [StoragePool]
    var volumes: [PoolVolume]
    var networks: [Network]
    var readAt: ContinuousClock.Instant

    static let maximumAge: Duration = .seconds(30)

    /// The kinds whose rows, details or figures come from pools, volumes or networks.
    static let kinds: Set<ResourceKind> = [.volume, .image, .volumeSnapshot, .network, .subnet, .router, .port,
                                           .floatingIP, .quota, .hypervisor]

    /// Whether a read asked for by `request` (nil: everything) may use these instead of asking again.
    func serves(_ request: ReadRequest?, now: ContinuousClock.Instant) -> Bool {
        guard let request, !request.full else { return false }
        return request.kindsInView.isDisjoint(with: Self.kinds) && now - readAt < Self.maximumAge
    }
}
