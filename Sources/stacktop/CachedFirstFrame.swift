import FoundationEssentials
import StacktopModel
import StacktopServices
import StacktopStore
import OpenStackBackend

/// The store's last snapshot of the backend the options name, read before that backend is opened, so
/// a warm start draws names before libvirt or Keystone is contacted (marked CACHED, as any cached
/// frame). Only where the target is known without asking it: a URI given (or libvirtd's socket there),
/// or a cloud named; the demo keeps no cache. Opening the backend afterwards may still fail or land
/// elsewhere (the local probe falls back to the demo): the runner's first frame then replaces this one.
struct CachedFirstFrame {
    var description: BackendDescription
    var snapshot: CloudSnapshot

    static func peek(_ options: Options, environment: [String: String]) -> CachedFirstFrame? {
        guard !options.demo else { return nil }
        let storePath = options.statePath ?? StateStore.defaultPath(environment: environment)
        // Never creates, migrates or writes the file; no store yet means no cache.
        guard FileManager.default.fileExists(atPath: storePath),
              let store = try? StateStore(readOnlyAt: storePath) else { return nil }
        let description: BackendDescription
        if BackendFactory.wantsOpenStack(options, environment: environment) {
            let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
            guard let cloud = try? CloudConfigLoader.load(cloud: options.osCloud, environment: environment, homeDirectory: home,
                                                          currentDirectory: FileManager.default.currentDirectoryPath)
            else { return nil }
            description = BackendDescription(kind: .openstack, endpoint: OpenStackCloudBackend.endpointName(for: cloud),
                                             currentProject: cloud.projectName)
        } else if let uri = options.connect ?? environment["LIBVIRT_DEFAULT_URI"] ?? BackendFactory.localURIs().first {
            description = BackendDescription(kind: .local, endpoint: uri, currentProject: (try? store.projects())?.first?.name)
        } else {
            return nil
        }
        guard let snapshot = try? store.loadSnapshot(for: description.endpoint) else { return nil }
        return CachedFirstFrame(description: description, snapshot: snapshot)
    }
}
