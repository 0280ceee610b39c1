import StacktopModel
import StacktopStore

/// What a new OpenStack deployment has before anyone asks for it, made on the first writable open of a
/// libvirt host's store: the standard flavors, an `admin` project (Keystone's bootstrap makes one), and a
/// `default` security group in every project (Neutron's: ingress from members of the same group, all egress).
///
/// Idempotent. Flavors and the project are made only in a store that has neither projects nor flavors (one
/// nobody has set up), so a flavor deleted later stays deleted. The default group is made for every project
/// that lacks one, on every writable open, so projects added later get theirs too. Never in read-only mode.
enum LocalHostSetup {
    static let firstProject = "admin"

    static func apply(to store: StateStore) throws {
        guard !store.isReadOnly else { return }
        var projects = try store.projects()
        if projects.isEmpty, try store.flavors().isEmpty {
            for flavor in DemoSeed.standardFlavors { try store.upsertFlavor(flavor) }
            try store.upsertProject(Project(id: DemoSeed.stableID("project", firstProject), name: firstProject,
                                            description: "Made by stacktop on first start"))
            projects = try store.projects()
        }
        let groups = try store.securityGroups()
        for project in projects where !groups.contains(where: { $0.name == "default" && $0.project == project.name }) {
            try store.upsertSecurityGroup(DemoSeed.defaultGroup(project: project.name))
        }
    }
}
