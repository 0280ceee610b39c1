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
                              options: options)
        endpointName = cloudName ?? credentials.authURL.absoluteString
        if case .name(let name)? = credentials.project?.project { projectName = Mutex(name) } else { projectName = Mutex(nil) }
    }

    /// A backend over URLSession for a cloud from clouds.yaml or `OS_*` variables.
    public convenience init(cloud: CloudConfig, options: OpenStackBackendOptions = OpenStackBackendOptions()) throws {
        let credentials = try KeystoneCredentials(cloud: cloud)
        self.init(credentials: credentials, cloudName: Self.cloudName(cloud),
                  transport: PlainHTTPTransport(secure: URLSessionTransport(verifyTLS: credentials.verifyTLS,
                                                                            caCertPath: credentials.caCertPath)),
                  options: options)
    }

    /// The name shown (and the snapshot cache's key): the clouds.yaml name, or the auth URL for a
    /// cloud made from OS_* variables.
    public static func endpointName(for cloud: CloudConfig) -> String {
        cloudName(cloud) ?? cloud.authURL
    }

    private static func cloudName(_ cloud: CloudConfig) -> String? { cloud.sourceFile == nil ? nil : cloud.name }

    public var description: BackendDescription {
        BackendDescription(kind: .openstack, endpoint: endpointName, currentProject: projectName.withLock { $0 })
    }

    // MARK: Reading

    public func snapshot() async throws -> CloudSnapshot {
        // One token first, so the parallel reads below do not each wait on Keystone.
        let token = try await session.validToken()
        let project = token.project
        if let name = project?.name { projectName.withLock { $0 = name } }
        let parts = options.parts
        let fetch = self.fetch

        async let servers = parts.contains(.servers) ? fetch.serverList() : []
        async let flavors = flavorList(parts)
        async let keypairs = optional(parts, .keypairs) { try await fetch.keypairs(project: project?.name) }
        async let images = optional(parts, .images) { try await fetch.images() }
        async let volumes = optional(parts, .volumes) { try await fetch.volumes() }
        async let networks = parts.contains(.networks)
            ? (try await ResourceFetch.optional { try await fetch.networks() } ?? NetworkList()) : NetworkList()
        async let floatingIPs = optional(parts, .floatingIPs) { try await fetch.floatingIPs() }
        async let routers = optional(parts, .routers) { try await fetch.routers() }
        async let ports = optional(parts, .ports) { try await fetch.ports() }
        async let groups = optional(parts, .securityGroups) { try await fetch.securityGroups() }
        async let projects = parts.contains(.projects) ? fetch.projects(tokenProject: project) : []
        async let hypervisors = optional(parts, .hypervisors) { try await fetch.hypervisors() }
        async let quotas: [ProjectQuotas] = parts.contains(.quotas) && project != nil
            ? [fetch.quotas(projectID: project!.id, projectName: project!.name ?? project!.id)] : []

        let network = try await networks
        return SnapshotAssembly.assemble(
            servers: try await servers, flavors: try await flavors, keypairs: try await keypairs,
            images: try await images, volumes: try await volumes, networks: network.networks,
            securityGroups: try await groups, projects: try await projects, quotas: try await quotas,
            hypervisors: try await hypervisors,
            neutron: NeutronLists(subnets: network.subnets, floatingIPs: try await floatingIPs,
                                  routers: try await routers, ports: try await ports),
            knownImageNames: options.knownImageNames, takenAt: Date())
    }

    /// Flavors are read when asked for, and also when servers do not embed them (before 2.47).
    private func flavorList(_ parts: SnapshotParts) async throws -> [Flavor] {
        if parts.contains(.flavors) { return try await fetch.flavors() }
        guard parts.contains(.servers) else { return [] }
        let version = await compute.negotiated()
        if let version, version >= ComputeVersion.embeddedFlavors { return [] }
        return try await ResourceFetch.optional { try await fetch.flavors() } ?? []
    }

    private func optional<T: Sendable>(_ parts: SnapshotParts, _ part: SnapshotParts,
                                       _ body: () async throws -> [T]) async throws -> [T] {
        guard parts.contains(part) else { return [] }
        return try await ResourceFetch.optional(body) ?? []
    }

    /// The server as Nova describes it, pretty-printed.
    public func rawDefinition(instanceID: String) async throws -> String {
        let response = try await client.send(.compute, "servers/\(Self.pathComponent(instanceID))",
                                             headers: await compute.headers(), what: "Reading server \(instanceID)")
        guard let object = try? JSONSerialization.jsonObject(with: response.body),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return String(decoding: response.body, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// No push events from a remote cloud: the dashboard's timer refresh covers changes.
    public func events() -> AsyncStream<BackendEvent> {
        AsyncStream { $0.finish() }
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? text
    }
}
