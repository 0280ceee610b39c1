import FoundationEssentials
import StacktopModel
import StacktopServices
import StacktopConfig
import OpenStackBackend

/// The contexts of this run: config.yaml's hosts, then clouds.yaml's clouds (README, "Contexts"), and how a
/// context becomes the options that open it.
enum ContextCatalog {
    /// A config.yaml that cannot be used stops stacktop (it is stacktop's own file, and a host meant to be
    /// read-only must not open writable); a clouds.yaml that cannot be read only leaves its clouds out, with
    /// the reason shown under `:ctx` (opening such a cloud says the same, as it always has).
    static func load(environment: [String: String]) throws -> ContextList {
        let config = try StacktopConfig.load(path: StacktopConfig.path(environment: environment))
        var list = ContextList(config.hosts)
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        do {
            let clouds = try CloudConfigLoader.contexts(environment: environment, homeDirectory: home,
                                                        currentDirectory: FileManager.default.currentDirectoryPath)
            for var cloud in clouds {
                if let host = list[cloud.name] {
                    list.problems.append("Cloud \"\(ErrorText.visible(cloud.name))\" of \(cloud.origin) has the name of "
                                         + "the host on \(host.origin), so it is left out; rename one of them.")
                    continue
                }
                cloud.readOnly = config.readOnlyClouds[cloud.name] != nil
                list.contexts.append(cloud)
            }
        } catch {
            list.problems.append("Clouds are left out: \(ErrorText.sentence(error))")
        }
        for (name, line) in config.readOnlyClouds.sorted(by: { $0.value < $1.value }) where list[name] == nil {
            list.problems.append("\(config.file.map(ErrorText.visible) ?? "config.yaml"), line \(line), marks a cloud "
                                 + "\"\(ErrorText.visible(name))\" read-only that clouds.yaml does not define.")
        }
        return list
    }

    /// `--context NAME`: the options that open it (its read-only mark added to --readonly, never removed).
    static func options(_ options: Options, for context: StacktopContext) -> Options {
        var chosen = options
        chosen.connect = nil
        chosen.osCloud = nil
        chosen.demo = false
        chosen.resetDemo = false
        chosen.fleet = nil
        switch context.kind {
        case .libvirt: chosen.connect = context.endpoint
        case .openstack: chosen.osCloud = context.name
        case .demo: chosen.demo = true
        case .fleet: chosen.fleet = context.endpoint.split(separator: ",").map(String.init)
        }
        chosen.readOnly = options.readOnly || context.readOnly
        return chosen
    }

    /// The context the opened backend is, adding one for what the command line chose when none matches
    /// (so `:ctx` can come back to it).
    static func current(of description: BackendDescription, in list: inout ContextList) -> String? {
        let kind: StacktopContext.Kind
        switch description.kind {
        case .local: kind = .libvirt
        case .openstack: kind = .openstack
        case .demo: kind = .demo
        case .fleet: return nil  // several at once: the header counts them instead
        }
        if let match = list.matching(kind: kind, endpoint: description.endpoint, cloudName: description.endpoint) {
            return match.name
        }
        let name = kind == .demo ? "demo" : description.endpoint
        guard list[name] == nil else { return nil }
        list.contexts.append(StacktopContext(name: name, kind: kind, endpoint: kind == .demo ? "" : description.endpoint))
        return name
    }

    /// What the dashboard calls the backend before it is open: from the cache when the store has one.
    static func description(of context: StacktopContext) -> BackendDescription {
        switch context.kind {
        case .libvirt: BackendDescription(kind: .local, endpoint: context.endpoint)
        case .openstack: BackendDescription(kind: .openstack, endpoint: context.name, rawDefinitionTitle: "Nova server JSON")
        case .demo: BackendDescription(kind: .demo, endpoint: "demo")
        case .fleet: BackendDescription(kind: .fleet, endpoint: "fleet " + context.endpoint)
        }
    }
}

/// Stands in for the backend while a context opens, and after it failed to: nothing to read or change.
struct UnopenedBackend: CloudReader, CloudMutator {
    let description: BackendDescription
    let reason: String
    func snapshot() async throws -> CloudSnapshot { throw BackendError.unreachable(endpoint: description.endpoint, reason: reason) }
    func rawDefinition(instanceID: String) async throws -> String {
        throw BackendError.unreachable(endpoint: description.endpoint, reason: reason)
    }
    func events() -> AsyncStream<BackendEvent> { AsyncStream { $0.finish() } }
    var capabilities: Capabilities { .none }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        throw BackendError.unreachable(endpoint: description.endpoint, reason: reason)
    }
}
