import Foundation
import StacktopServices

/// The Nova microversion, negotiated once per backend and shared by every request after.
actor ComputeVersion {
    /// The newest microversion stacktop understands.
    static let wanted = Microversion(2, 96)
    /// From here servers embed their flavor, so no flavor lookup is needed.
    static let embeddedFlavors = Microversion(2, 47)

    private let session: KeystoneSession
    private var negotiation: Task<Microversion?, Never>?

    init(session: KeystoneSession) { self.session = session }

    /// nil when the service offers no microversions (plain 2.1) or discovery failed: requests then
    /// go without the header and servers are matched to flavors by id.
    func negotiated() async -> Microversion? {
        if let negotiation { return await negotiation.value }
        let task = Task { [session] in
            (try? await session.discoverVersion(of: .compute))?.negotiate(Self.wanted)
        }
        negotiation = task
        return await task.value
    }

    func headers() async -> [String: String] {
        guard let version = await negotiated() else { return [:] }
        return ServiceType.compute.microversionHeaders(version)
    }

    /// Hypervisor capacity (vCPUs, memory, disk and their use) left the API in 2.88; asking for
    /// at most 2.87 keeps it for the Overview's host lines and the wall's sparklines.
    static let lastWithHypervisorCapacity = Microversion(2, 87)

    /// Headers for a request that needs an older microversion than the negotiated one.
    func headers(atMost ceiling: Microversion) async -> [String: String] {
        guard let version = await negotiated() else { return [:] }
        return ServiceType.compute.microversionHeaders(min(version, ceiling))
    }
}
