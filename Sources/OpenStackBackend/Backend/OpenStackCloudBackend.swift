import Foundation
import Synchronization
import StacktopModel
import StacktopServices

/// stacktop's remote backend: one OpenStack cloud through Keystone, Nova, Glance, Cinder and Neutron.
public final class OpenStackCloudBackend: CloudReader, CloudMutator {
    public let session: KeystoneSession
    public let options: OpenStackBackendOptions
    let client: OpenStackClient
    let compute: ComputeVersion
    let fetch: ResourceFetch
    private let endpointName: String
    /// The token's project name, known after the first authentication.
    private let projectName: Mutex<String?>
    /// Each list as last read, to stand in (marked stale) while its service fails.
    let lastGood = LastGoodParts()

    /// - Parameter cloudName: shown as the endpoint; the auth URL is shown when nil.
    public init(credentials: KeystoneCredentials, cloudName: String?, transport: any HTTPTransport,
                options: OpenStackBackendOptions = OpenStackBackendOptions()) {
        session = KeystoneSession(credentials: credentials, transport: transport, tokenCache: options.tokenCache)
        self.options = options
        var client = OpenStackClient(session: session, transport: transport)
        client.maxRetryWait = options.maxRetryWait
        self.client = client
        compute = ComputeVersion(session: session)
        fetch = ResourceFetch(client: client, compute: compute, servers: ServerCache(fullEvery: options.fullServerReadEvery),
                              options: options, cadence: ReadCadence(slowSeconds: options.slowSeconds))
        endpointName = cloudName ?? credentials.authURL.absoluteString
        if case .name(let name)? = credentials.project?.project { projectName = Mutex(name) } else { projectName = Mutex(nil) }
    }

    /// A backend over URLSession for a cloud from clouds.yaml or `OS_*` variables.
    public convenience init(cloud: CloudConfig, options: OpenStackBackendOptions = OpenStackBackendOptions()) throws {
        let credentials = try KeystoneCredentials(cloud: cloud)
        var transport: any HTTPTransport = PlainHTTPTransport(secure: URLSessionTransport(verifyTLS: credentials.verifyTLS,
                                                                                          caCertPath: credentials.caCertPath))
        if let path = options.requestLog, let logged = RequestLogTransport(base: transport, path: path) { transport = logged }
        self.init(credentials: credentials, cloudName: Self.cloudName(cloud), transport: transport, options: options)
    }

    /// The name shown (and the snapshot cache's key): the clouds.yaml name, or the auth URL for a
    /// cloud made from OS_* variables.
    public static func endpointName(for cloud: CloudConfig) -> String {
        cloudName(cloud) ?? cloud.authURL
    }

    private static func cloudName(_ cloud: CloudConfig) -> String? { cloud.sourceFile == nil ? nil : cloud.name }

    public var description: BackendDescription {
        BackendDescription(kind: .openstack, endpoint: endpointName, currentProject: projectName.withLock { $0 },
                           rawDefinitionTitle: "Nova server JSON")
    }

    // MARK: Reading

    /// Everything, as a one-shot command reads it (every kind counts as on screen, nothing in pieces).
    public func snapshot() async throws -> CloudSnapshot {
        try await read(ReadRequest(), partial: nil)
    }

    /// A dashboard refresh: the kinds in view and servers (through `changes-since`) every time, the rest at
    /// the slow cadence (`ReadCadence`), everything after `r`; a first read of servers arrives in pieces.
    public func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void)
        async throws -> CloudSnapshot {
        try await read(request, partial: partial)
    }

    private func read(_ request: ReadRequest, partial: (@Sendable (PartialSnapshot) -> Void)?) async throws -> CloudSnapshot {
        // One token first, so the parallel reads below do not each wait on Keystone.
        let token = try await session.validToken()
        let project = token.project
        if let name = project?.name { projectName.withLock { $0 = name } }
        let fetch = self.fetch
        if request.full { await fetch.servers.readAllNext() }
        // Admins see every project: their instance counts come from one listing across projects.
        var wanted = options.parts
        if !token.roleNames.contains(where: { $0.lowercased() == "admin" }) { wanted.remove(.instanceCounts) }
        if project == nil { wanted.remove(.quotas) }
        let inView = request.kindsInView.reduce(into: SnapshotParts()) { $0.formUnion(.own(for: $1)) }
        let now = options.clock()
        let due = fetch.cadence.due(wanted.union(.flavors), inView: inView, full: request.full, now: now)
        // A first read of servers shown as it arrives has its first page to itself: on a small cloud's
        // single API worker every other list would slow it.
        let serversCold = await fetch.servers.changesSince() == nil
        let streams = partial != nil && due.contains(.servers) && wanted.contains(.servers)
            && (!options.incrementalServers || serversCold)
        let firstPage = streams ? OneTimeSignal() : .alreadyOpen
        let plan = PartPlan(wanted: wanted, due: due, cadence: fetch.cadence, now: now, after: firstPage)
        let parts = wanted

        // Each list is read on its own: a service that fails leaves its lists stale, not the snapshot.
        async let servers = plan.attempt(.servers) { try await fetch.serverList(partial: partial, firstPage: firstPage) }
        async let flavors = flavorList(parts, plan)
        async let keypairs = plan.offered(.keypairs) { try await fetch.keypairs(project: project?.name) }
        async let images = plan.offered(.images) { try await fetch.images() }
        async let volumes = plan.offered(.volumes) { try await fetch.volumes() }
        async let volumeSnapshots = plan.offered(.volumeSnapshots) { try await fetch.volumeSnapshots() }
        async let networks = plan.offered(.networks) { try await fetch.networks() }
        async let floatingIPs = plan.offered(.floatingIPs) { try await fetch.floatingIPs() }
        async let routers = plan.offered(.routers) { try await fetch.routers() }
        async let ports = plan.offered(.ports) { try await fetch.ports() }
        async let groups = plan.offered(.securityGroups) { try await fetch.securityGroups() }
        async let projects = plan.attempt(.projects) { try await fetch.projects(tokenProject: project) }
        async let counts = plan.attempt(.instanceCounts) {
            try await ResourceFetch.optional { try await fetch.instanceCountsByProject() }
        }
        async let hypervisors = plan.offered(.hypervisors) { try await fetch.hypervisors() }
        async let quotas = plan.attempt(.quotas) {
            [try await fetch.quotas(projectID: project!.id, projectName: project!.name ?? project!.id)]
        }

        var parts_ = SnapshotPartsRead(lastGood: lastGood)
        let serverList = parts_.take(await servers, "instances", empty: [])
        let flavorList = parts_.take(await flavors, "flavors", empty: [])
        let keypairRead = await keypairs
        let keypairList = parts_.take(keypairRead, "key pairs", empty: [])
        let imageList = parts_.take(await images, "images", empty: [])
        let volumeList = parts_.take(await volumes, "volumes", empty: [])
        let volumeSnapshotList = parts_.take(await volumeSnapshots, "volume snapshots", empty: [])
        let network = parts_.take(await networks, "networks", empty: NetworkList())
        let ipList = parts_.take(await floatingIPs, "floating IPs", empty: [])
        let routerList = parts_.take(await routers, "routers", empty: [])
        let portRead = await ports
        let portList = parts_.take(portRead, "ports", empty: [])
        let groupList = parts_.take(await groups, "security groups", empty: [])
        let projectList = parts_.take(await projects, "projects", empty: [])
        let countsRead = await counts
        let countList = parts_.take(countsRead, "instance counts of projects", empty: nil)
        let hypervisorList = parts_.take(await hypervisors, "hypervisors", empty: [])
        let quotaList = parts_.take(await quotas, "quotas", empty: [])
        try parts_.throwIfNothingAnswered()

        return SnapshotAssembly.assemble(
            servers: serverList, flavors: flavorList, keypairs: keypairList, keypairsRead: keypairRead.wasRead,
            images: imageList, volumes: volumeList, volumeSnapshots: volumeSnapshotList, networks: network.networks,
            securityGroups: groupList, projects: projectList, quotas: quotaList,
            hypervisors: hypervisorList,
            neutron: NeutronLists(subnets: network.subnets, floatingIPs: ipList, routers: routerList, ports: portList,
                                  portsRead: portRead.wasRead || parts_.hasLastGood("ports")),
            // Glance's names whenever Glance is read: a cached name may be of an image renamed or gone.
            knownImageNames: parts.contains(.images) ? [:] : options.knownImageNames, instanceCountsByProjectID: countList ?? nil,
            staleParts: parts_.stale, unavailableParts: parts_.unavailable, takenAt: Date())
    }

    /// Flavors are read when asked for, and also when servers do not embed them (before 2.47).
    private func flavorList(_ parts: SnapshotParts, _ plan: PartPlan) async -> PartRead<[Flavor]> {
        if parts.contains(.flavors) { return await plan.attempt(.flavors) { try await fetch.flavors() } }
        guard parts.contains(.servers) else { return .skipped }
        let version = await compute.negotiated()
        if let version, version >= ComputeVersion.embeddedFlavors { return .skipped }
        return await plan.attempt(.flavors, force: true) {
            try await ResourceFetch.optional { try await fetch.flavors() } ?? []
        }
    }

    /// The server as Nova describes it, pretty-printed.
    public func rawDefinition(instanceID: String) async throws -> String {
        let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))",
                                             headers: await compute.headers(),
                                             what: "Reading server \(await serverLabel(instanceID))")
        guard let object = try? JSONSerialization.jsonObject(with: response.body),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return String(decoding: response.body, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// No push events from a remote cloud: the dashboard's timer refresh covers changes.
    public func events() -> AsyncStream<BackendEvent> {
        AsyncStream { $0.finish() }
    }

    /// The server's name from the last listing (people know servers by name), else its id.
    func serverLabel(_ id: String) async -> String {
        await fetch.servers.name(of: id) ?? id
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? text
    }
}
