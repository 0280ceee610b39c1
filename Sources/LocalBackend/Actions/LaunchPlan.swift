import Foundation
import StacktopModel
import StacktopServices

/// Everything a launch needs, checked against what exists before anything is created.
struct LaunchPlan {
    struct Source {
        /// The image the root disk overlays, or nil when booting a volume.
        var image: Image?
        var volume: Volume?
        var path: String
        var format: String
    }

    var names: [String]
    var flavor: Flavor
    var source: Source
    var networks: [Network]
    var securityGroups: [SecurityGroup]
    var keypair: Keypair?
    var userData: String?
    var project: String?
    /// Where root disks and seed disks go: the image's pool.
    var pool: String
    var virtType: String?

    init(request: ActionRequest, snapshot: CloudSnapshot) throws {
        let name = try ActionOptions.name(request)
        let count = request.integer(.count) ?? 1
        guard (1...20).contains(count) else {
            throw BackendError.invalidOption(.count, reason: "--count is how many instances to launch, 1 to 20, not \"\(count)\".")
        }
        names = count == 1 ? [name] : (1...count).map { "\(name)-\($0)" }
        for candidate in names where snapshot.instances.contains(where: { $0.name == candidate }) {
            throw BackendError.nameTaken(kind: "instance", name: candidate, scope: nil, option: nil)
        }
        guard let flavorName = request[.flavor] else {
            throw BackendError.invalidOption(.flavor, reason: "Choose a flavor with --flavor NAME (see `stacktop flavor list`).")
        }
        guard let flavor = snapshot.flavors.first(where: { $0.name == flavorName }) else {
            throw BackendError.notFound(kind: "flavor", name: flavorName)
        }
        self.flavor = flavor
        project = request.project

        switch (request[.image], request[.volume]) {
        case (let imageName?, nil):
            guard let image = snapshot.images.first(where: { $0.name == imageName }), let path = image.path else {
                throw BackendError.notFound(kind: "image", name: imageName)
            }
            if image.minDiskGiB > flavor.diskGiB || image.minRamMiB > flavor.ramMiB {
                throw BackendError.invalidOption(.flavor,
                                                 reason: "Image \(image.name) needs at least \(image.minDiskGiB) GiB of disk and "
                    + "\(image.minRamMiB) MiB of RAM; flavor \(flavor.name) has \(flavor.diskGiB) GiB and \(flavor.ramMiB) MiB.")
            }
            source = Source(image: image, path: path, format: image.format == "raw" ? "raw" : "qcow2")
            pool = image.pool ?? "default"
        case (nil, let volumeName?):
            guard count == 1 else { throw BackendError.invalidOption(.count, reason: "A volume can boot one instance; use --count 1.") }
            guard let volume = snapshot.volumes.first(where: { $0.name == volumeName || $0.name == volumeName + ".qcow2" }),
                  let path = volume.path else { throw BackendError.notFound(kind: "volume", name: volumeName) }
            try BackendError.refuseIfHeld(.volume, volume.name, by: volume.attachedTo, .attachedTo,
                                          advice: "a boot volume must be free")
            source = Source(volume: volume, path: path, format: volume.format ?? "qcow2")
            pool = volume.pool ?? "default"
        case (nil, nil):
            throw BackendError.invalidOption(.image, reason: "Choose what to boot: --image NAME or --volume NAME.")
        case (.some, .some):
            throw BackendError.invalidOption(.image, reason: "Boot from an image or from a volume, not both.")
        }

        let networkNames = request.list(.networks) ?? snapshot.networks.first.map { [$0.name] } ?? []
        networks = try networkNames.map { networkName in
            guard let network = snapshot.networks.first(where: { $0.name == networkName }) else {
                throw BackendError.notFound(kind: "network", name: networkName)
            }
            return network
        }
        let groupNames = request.list(.securityGroups) ?? ["default"]
        securityGroups = try groupNames.map { groupName in
            let candidates = snapshot.securityGroups.filter { $0.name == groupName }
            guard let group = candidates.first(where: { $0.project == request.project }) ?? candidates.first else {
                throw BackendError.notFound(kind: "secgroup", name: groupName)
            }
            return group
        }
        keypair = try request[.keypair].map { keyName in
            guard let keypair = snapshot.keypairs.first(where: { $0.name == keyName }) else {
                throw BackendError.notFound(kind: "keypair", name: keyName)
            }
            return keypair
        }
        userData = try request[.userData].map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BackendError.invalidOption(.userData, reason: "Could not read the user data file \(path); check the path.")
            }
            guard data.count <= 65_536 else {
                throw BackendError.invalidOption(.userData,
                                                 reason: "User data is limited to 64 KiB, as in Nova; \(path) has \(data.count) bytes.")
            }
            return String(decoding: data, as: UTF8.self)
        }
        virtType = request[.virtType]

        // Quotas for everything at once, before anything is made.
        try QuotaCheck.require(.instances, adding: count, project: project, snapshot: snapshot)
        try QuotaCheck.require(.cores, adding: flavor.vcpus * count, project: project, snapshot: snapshot)
        try QuotaCheck.require(.ramMiB, adding: flavor.ramMiB * count, project: project, snapshot: snapshot)
    }

    /// Root disk size: the flavor's, but never smaller than the image.
    var rootCapacityBytes: UInt64 {
        max(UInt64(flavor.diskGiB) << 30, source.image?.sizeBytes ?? 0)
    }

    var needsSeed: Bool { keypair != nil || userData != nil }
}
