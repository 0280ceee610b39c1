import Foundation
import StacktopModel
import StacktopServices

/// Reads each kind of resource, every page of it. Names of related things are filled in later by
/// `SnapshotAssembly`, so these reads can all run at once.
struct ResourceFetch: Sendable {
    let client: OpenStackClient
    let compute: ComputeVersion
    let servers: ServerCache
    let options: OpenStackBackendOptions
    let cadence: ReadCadence

    var limit: Int? { options.pageLimit }

    // MARK: Compute

    /// - Parameter partial: on a full read, handed the rows as they arrive (ServerStream).
    /// - Parameter firstPage: opened once a streamed read's first page is in (the rest of a cold read waits).
    func serverList(partial: (@Sendable (PartialSnapshot) -> Void)? = nil,
                    firstPage: OneTimeSignal = .alreadyOpen) async throws -> [Instance] {
        defer { firstPage.open() }
        let headers = await compute.headers()
        let since = options.incrementalServers ? await servers.changesSince() : nil
        if since == nil, let partial {
            let (list, readAt) = try await ServerStream(client: client, headers: headers, tuning: options.stream,
                                                        partial: partial, firstPage: firstPage).read()
            return await servers.replaceAll(list, readAt: readAt ?? Date())
        }
        var query: [URLQueryItem] = []
        if let since {
            // Nova compares with updated_at; a second of overlap costs nothing and misses nothing.
            query.append(URLQueryItem(name: "changes-since", value: (since - 1).formatted(.iso8601)))
        }
        var deleted: Set<String> = []
        var readAt: Date?
        let list = try await client.listAll(.compute, "servers/detail", query: query, headers: headers, limit: limit,
                                            what: "Listing servers") { body, response in
            if readAt == nil { readAt = Self.serverDate(response) }
            if since != nil { deleted.formUnion(Self.deletedIDs(in: body)) }
            return try NovaDecoder.servers(body)
        }
        let at = readAt ?? Date()
        if since == nil { return await servers.replaceAll(list, readAt: at) }
        cadence.serversRead(quiet: list.isEmpty)
        let merged = await servers.merge(changed: list.filter { !deleted.contains($0.id) }, deletedIDs: deleted, readAt: at)
        guard await servers.checksIDs else { return merged }
        // Ids and names only: one request where the details of 1,000 servers take ten seconds of Nova's time.
        let ids = try await client.listAll(.compute, "servers", headers: headers, limit: 1000,
                                           what: "Listing server ids") { body, _ in
            try NovaDecoder.servers(body, path: "/servers")
        }.map(\.id)
        let kept = await servers.keepOnly(Set(ids))
        if kept.complete { return kept.servers }
        await servers.readAllNext()
        return try await serverList(partial: partial)
    }

    /// Servers per project id across every project (an admin's view; others see their own project).
    func instanceCountsByProject() async throws -> [String: Int] {
        let list = try await client.listAll(.compute, "servers/detail", query: [URLQueryItem(name: "all_tenants", value: "1")],
                                            headers: await compute.headers(), limit: limit,
                                            what: "Counting servers in every project") { body, _ in
            try NovaDecoder.servers(body)
        }
        return Dictionary(grouping: list.compactMap(\.project), by: { $0 }).mapValues(\.count)
    }

    func flavors() async throws -> [Flavor] {
        try await client.listAll(.compute, "flavors/detail", headers: await compute.headers(), limit: limit,
                                 what: "Listing flavors") { body, _ in try NovaDecoder.flavors(body) }
    }

    /// Admins only: others get 403, which the snapshot reads as "no hypervisors to show".
    func hypervisors() async throws -> [Hypervisor] {
        try await client.listAll(.compute, "os-hypervisors/detail",
                                 headers: await compute.headers(atMost: ComputeVersion.lastWithHypervisorCapacity), limit: limit,
                                 what: "Listing hypervisors") { body, _ in try NovaDecoder.hypervisors(body) }
    }

    func keypairs(project: String?) async throws -> [Keypair] {
        // Keypair pages (limit/marker) exist from 2.35 on; before that the whole list comes at once.
        let version = await compute.negotiated()
        let pageLimit = version.map { $0 >= Microversion(2, 35) } == true ? limit : nil
        return try await client.listAll(.compute, "os-keypairs", headers: await compute.headers(), limit: pageLimit,
                                        what: "Listing key pairs") { body, _ in
            try NovaDecoder.keypairs(body, project: project)
        }
    }

    // MARK: Image, block storage, network, identity

    func images() async throws -> [Image] {
        try await list(.image, "v2/images", what: "Listing images") { try GlanceDecoder.images($0) }
    }

    func volumes() async throws -> [Volume] {
        try await list(.blockStorage, "volumes/detail", what: "Listing volumes") { try CinderDecoder.volumes($0) }
    }

    /// The token's project's snapshots, as the volume list reads its volumes (no `all_tenants`, admins too),
    /// so each snapshot's volume is in the volume list that names it.
    func volumeSnapshots() async throws -> [VolumeSnapshot] {
        try await list(.blockStorage, "snapshots/detail", what: "Listing volume snapshots") { try CinderDecoder.snapshots($0) }
    }

    /// Networks with their subnets joined in, and the subnets themselves (router interfaces name them).
    func networks() async throws -> NetworkList {
        async let subnets = client.listAll(.network, "v2.0/subnets", limit: limit, what: "Listing subnets") { body, _ in
            try NeutronDecoder.subnets(body)
        }
        // Networks are decoded once more with their subnets, which arrive from a parallel read.
        async let networkPages = client.listAll(.network, "v2.0/networks", limit: limit,
                                                what: "Listing networks") { body, _ in
            let page = try NeutronDecoder.networks(body)
            return OpenStackPage(items: [body], next: page.next)
        }
        let known = try await subnets
        var result: [Network] = []
        for body in try await networkPages { result += try NeutronDecoder.networks(body, subnets: known).items }
        return NetworkList(networks: result, subnets: known)
    }

    func floatingIPs() async throws -> [NeutronFloatingIP] {
        try await list(.network, "v2.0/floatingips", what: "Listing floating IPs") { try NeutronDecoder.floatingIPs($0) }
    }

    func routers() async throws -> [NeutronRouter] {
        try await list(.network, "v2.0/routers", what: "Listing routers") { try NeutronDecoder.routers($0) }
    }

    func ports() async throws -> [NeutronPort] {
        try await list(.network, "v2.0/ports", what: "Listing ports") { try NeutronDecoder.ports($0) }
    }

    /// Groups and rules are read side by side: some Neutron releases list groups without their rules.
    func securityGroups() async throws -> [SecurityGroup] {
        async let groupList = client.listAll(.network, "v2.0/security-groups", limit: limit,
                                             what: "Listing security groups") { body, _ in
            try NeutronDecoder.securityGroups(body)
        }
        // Rules are decoded once the group names are known, so a remote group shows by name.
        async let rulePages = Self.optional {
            try await client.listAll(.network, "v2.0/security-group-rules", limit: limit,
                                     what: "Listing security group rules") { body, _ in
                OpenStackPage(items: [body], next: try NeutronDecoder.securityGroupRules(body).next)
            }
        }
        let groups = try await groupList
        guard let pages = try await rulePages else { return groups }
        let names = Dictionary(groups.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var rulesByGroup: [String: [SecurityGroupRule]] = [:]
        for body in pages {
            for rule in try NeutronDecoder.securityGroupRules(body, groupNamesByID: names).items {
                rulesByGroup[rule.groupID, default: []].append(rule.rule)
            }
        }
        return groups.map { group in
            var merged = group
            merged.rules = rulesByGroup[group.id] ?? []
            return merged
        }
    }

    /// Every project for those allowed to list them, else the user's own projects, else the token's.
    func projects(tokenProject: IdentityReference?) async throws -> [Project] {
        for path in ["projects", "auth/projects"] {
            do {
                return try await client.listAll(.identity, path, limit: path == "projects" ? limit : nil,
                                                what: "Listing projects") { body, _ in
                    try KeystoneDecoder.projects(body)
                }
            } catch let error as BackendError where error.isForbidden {
                continue
            }
        }
        return tokenProject.map { [Project(id: $0.id, name: $0.name ?? $0.id)] } ?? []
    }

    /// Every page of a list that takes no headers, as the snapshot reads it (`limit` a page).
    private func list<Item: Sendable>(_ service: ServiceType, _ path: String, what: String,
                                      _ decode: (Data) throws -> OpenStackPage<Item>) async throws -> [Item] {
        try await client.listAll(service, path, limit: limit, what: what) { body, _ in try decode(body) }
    }

    // MARK: Quotas

    /// Every quota the three services report, with what is in use, read from the same APIs as
    /// `openstack quota show --usage`: Nova's and Cinder's quota sets with usage and Neutron's quota
    /// details. Where a quota set is refused, the absolute limits stand in; a service that refuses or is
    /// missing leaves its gauges out.
    func quotas(projectID: String, projectName: String) async throws -> ProjectQuotas {
        let project = OpenStackCloudBackend.pathComponent(projectID)
        async let nova = Self.optional {
            if let set = try await Self.orFallBack({
                try NovaDecoder.quotaSet(try await client.send(.compute, "os-quota-sets/\(project)/detail",
                                                               headers: await compute.headers(),
                                                               what: "Reading compute quotas").body, project: projectName)
            }) { return set }
            return try NovaDecoder.limits(try await client.send(.compute, "limits", headers: await compute.headers(),
                                                                 what: "Reading compute limits").body, project: projectName)
        }
        async let cinder = Self.optional {
            if let set = try await Self.orFallBack({
                try CinderDecoder.quotaSet(try await client.send(.blockStorage, "os-quota-sets/\(project)",
                                                                 query: [URLQueryItem(name: "usage", value: "true")],
                                                                 what: "Reading volume quotas").body, project: projectName)
            }) { return set }
            return try CinderDecoder.limits(try await client.send(.blockStorage, "limits", what: "Reading volume limits").body,
                                            project: projectName)
        }
        async let neutron = Self.optional {
            try NeutronDecoder.quotas(try await client.send(.network, "v2.0/quotas/\(project)/details",
                                                            what: "Reading network quotas").body, project: projectName)
        }
        var byResource: [QuotaResource: QuotaUsage] = [:]
        // Neutron last: it is the authority for security groups, which old Nova quota sets also report.
        for set in [try await nova, try await cinder, try await neutron].compactMap({ $0 }) {
            for usage in set.usages { byResource[usage.resource] = usage }
        }
        return ProjectQuotas(project: projectName, usages: QuotaResource.allCases.compactMap { byResource[$0] })
    }

    /// nil when the read failed for any reason but refused credentials, so an older API can stand in.
    static func orFallBack<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        do { return try await body() } catch let error as BackendError where !error.stopsRetries { return nil }
    }

    /// nil when the service is not in the catalog, forbids it or has no such API; other errors pass.
    static func optional<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        do { return try await body() } catch let error as BackendError where error.isAbsentOrForbidden { return nil }
    }

    // MARK: Helpers

    /// The server's clock, so `changes-since` does not depend on ours being right.
    static func serverDate(_ response: HTTPResponse) -> Date? {
        guard let text = response.header("Date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func deletedIDs(in body: Data) -> Set<String> {
        struct Wire: Decodable {
            struct Server: Decodable { var id: String; var status: String? }
            var servers: [Server]
        }
        let servers = (try? JSONDecoder().decode(Wire.self, from: body).servers) ?? []
        return Set(servers.filter { $0.status?.uppercased() == "DELETED" }.map(\.id))
    }
}

/// What one read of Neutron's networks gives: the model's networks and the subnets behind them.
struct NetworkList: Sendable {
    var networks: [Network] = []
    var subnets: [NeutronSubnet] = []
}

extension BackendError {
    var isForbidden: Bool {
        if case .remote(_, 403, _, _) = self { return true }
        return false
    }

    /// A service missing from the catalog (`.failed` from ServiceCatalog), a 403, or a 404/501 API.
    var isAbsentOrForbidden: Bool {
        switch self {
        case .remote(_, let status, _, _): [403, 404, 501].contains(status)
        case .failed(let what, _): what.hasPrefix("Finding the")
        default: false
        }
    }
}
