import Foundation
import StacktopModel
import StacktopServices
import StacktopStore

/// Volumes, images and networks on a libvirt host: libvirt holds the bytes and definitions, the
/// store who owns them and what an image means.
struct StorageActions {
    let connection: LibvirtConnection
    let store: StateStore
    let snapshot: @Sendable () throws -> CloudSnapshot

    private static let gib: UInt64 = 1 << 30

    func perform(_ request: ActionRequest) throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.volume, .create): return try createVolume(request)
        case (.volume, .delete): return try deleteVolumes(request)
        case (.volume, .extend): return try extendVolume(request)
        case (.volume, .snapshot): return try snapshotVolume(request)
        case (.image, .update): return try updateImage(request)
        case (.image, .delete): return try deleteImages(request)
        case (.image, .create), (.image, .upload): return try uploadImage(request)
        case (.network, .create): return try createNetwork(request)
        case (.network, .delete): return try deleteNetworks(request)
        default: return nil
        }
    }

    // MARK: volumes

    /// The one volume called `name` (or with that id, or that name plus ".qcow2").
    static func volume(named name: String, in snapshot: CloudSnapshot) throws -> Volume {
        let matches = snapshot.volumes.filter { $0.name == name || $0.id == name || $0.name == name + ".qcow2" }
        guard let first = matches.first else { throw BackendError.notFound(kind: "volume", name: name) }
        guard matches.count == 1 else {
            throw BackendError.ambiguousName(kind: "volume", name: name, candidates: matches.map { $0.pool ?? "?" },
                                             tellApartBy: .pool)
        }
        return first
    }

    /// The pool new volumes go to: --pool, else "default", else the first active pool.
    private func targetPool(_ request: ActionRequest, _ snapshot: CloudSnapshot, preferring preferred: String) throws -> String {
        if let asked = request[.pool] {
            guard snapshot.pools.contains(where: { $0.name == asked }) else { throw BackendError.notFound(kind: "pool", name: asked) }
            return asked
        }
        if snapshot.pools.contains(where: { $0.name == preferred && $0.active }) { return preferred }
        guard let pool = snapshot.pools.first(where: \.active) else {
            throw BackendError.unavailable(feature: "storage pool",
                                           reason: "This host has no active storage pool; create one (virsh pool-define-as) first.")
        }
        return pool.name
    }

    private func createVolume(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        let sizeGiB = try ActionOptions.positiveInt(request, .size)
        let current = try snapshot()
        let image = try request[.image].map { imageName in
            guard let image = current.images.first(where: { $0.name == imageName }), let path = image.path else {
                throw BackendError.notFound(kind: "image", name: imageName)
            }
            return (image, path)
        }
        if let image = image?.0, Int((image.sizeBytes + Self.gib - 1) / Self.gib) > sizeGiB {
            throw BackendError.invalidOption(.size, reason: "Image \(image.name) needs at least "
                                             + "\((image.sizeBytes + Self.gib - 1) / Self.gib) GiB; ask for a larger --size.")
        }
        try QuotaCheck.require(.volumes, adding: 1, project: request.project, snapshot: current)
        try QuotaCheck.require(.gigabytes, adding: sizeGiB, project: request.project, snapshot: current)
        let pool = try targetPool(request, current, preferring: "default")
        let fileName = name.hasSuffix(".qcow2") || name.hasSuffix(".raw") || name.hasSuffix(".img") ? name : name + ".qcow2"
        guard !current.volumes.contains(where: { $0.pool == pool && $0.name == fileName }) else {
            throw BackendError.nameTaken(kind: "volume", name: fileName, scope: "Pool \(pool)", option: nil)
        }
        let xml = VolumeXML.qcow2(name: fileName, capacityBytes: UInt64(sizeGiB) * Self.gib)
        let path = try connection.createVolume(poolName: pool, xml: xml, cloneFrom: image?.1)
        do {
            try store.setVolumeOwner(path: path, project: request.project)
        } catch {
            // No half-made volume: without its owner row it would belong to nobody.
            try? connection.deleteVolume(path: path)
            throw error
        }
        let from = image.map { " from image \($0.0.name)" } ?? ""
        return ActionOutcome(message: "Created volume \(fileName) (\(sizeGiB) GiB\(from)) in pool \(pool).")
    }

    private func deleteVolumes(_ request: ActionRequest) throws -> ActionOutcome {
        let current = try snapshot()
        let volumes = try request.targets.map { try Self.volume(named: $0, in: current) }
        for volume in volumes {
            try BackendError.refuseIfHeld(.volume, volume.name, by: volume.attachedTo, .attachedTo, advice: "detach it first")
        }
        // As Cinder refuses a volume with dependent snapshots: here they live inside its file and would go with it.
        for volume in volumes {
            let snapshots = current.volumeSnapshots.filter { $0.volumeID == volume.id }.map(\.name)
            try BackendError.refuseIfHeld(.volume, volume.name, by: snapshots, .snapshots,
                                          advice: "delete them first (`stacktop volume-snapshot delete NAME`)")
        }
        for volume in volumes {
            guard let path = volume.path else { throw BackendError.notFound(kind: "volume", name: volume.name) }
            try connection.deleteVolume(path: path)
            try? store.setVolumeOwner(path: path, project: nil)
        }
        return ActionOutcome(message: "Deleted volume \(volumes.map(\.name).joined(separator: ", ")).")
    }

    private func extendVolume(_ request: ActionRequest) throws -> ActionOutcome {
        let current = try snapshot()
        guard let name = request.targets.first else { throw BackendError.missingTarget(kind: .volume, action: .extend, usage: nil) }
        let volume = try Self.volume(named: name, in: current)
        let newSize = try ActionOptions.positiveInt(request, .size)
        let oldSize = Int((volume.sizeBytes + Self.gib - 1) / Self.gib)
        guard newSize > oldSize else {
            throw BackendError.invalidOption(.size, reason: "Volume \(volume.name) is \(oldSize) GiB; volumes only grow, "
                                             + "so ask for more than that.")
        }
        try BackendError.refuseIfHeld(.volume, volume.name, by: volume.attachedTo, .attachedTo,
                                      advice: "detach it, extend it, and attach it again")
        try QuotaCheck.require(.gigabytes, adding: newSize - oldSize, project: volume.project ?? request.project, snapshot: current)
        guard let path = volume.path else { throw BackendError.notFound(kind: "volume", name: volume.name) }
        try connection.resizeVolume(path: path, capacityBytes: UInt64(newSize) * Self.gib)
        return ActionOutcome(message: "Extended volume \(volume.name) from \(oldSize) to \(newSize) GiB.")
    }

    /// A point-in-time copy of a volume as a new volume beside it (dir pools have no cheaper snapshot).
    private func snapshotVolume(_ request: ActionRequest) throws -> ActionOutcome {
        let current = try snapshot()
        guard let name = request.targets.first else { throw BackendError.missingTarget(kind: .volume, action: .snapshot, usage: nil) }
        let volume = try Self.volume(named: name, in: current)
        let running = current.instances.filter { instance in
            volume.attachedTo.contains(instance.name) && instance.state == .running
        }
        try BackendError.refuseIfHeld(.volume, volume.name, by: running.map(\.name), .runningIn,
                                      advice: "pause or shut it off first so the copy is consistent")
        let stem = volume.name.split(separator: ".").dropLast().joined(separator: ".")
        let snapshotName = (request[.name] ?? "\(stem.isEmpty ? volume.name : stem)-snap") + ".qcow2"
        guard !current.volumes.contains(where: { $0.pool == volume.pool && $0.name == snapshotName }) else {
            throw BackendError.nameTaken(kind: "volume", name: snapshotName, scope: "Pool \(volume.pool ?? "?")", option: .name)
        }
        let gib = Int((volume.sizeBytes + Self.gib - 1) / Self.gib)
        try QuotaCheck.require(.gigabytes, adding: gib, project: volume.project ?? request.project, snapshot: current)
        guard let path = volume.path, let pool = volume.pool else { throw BackendError.notFound(kind: "volume", name: name) }
        let copy = try connection.createVolume(poolName: pool, xml: VolumeXML.qcow2(name: snapshotName, capacityBytes: volume.sizeBytes),
                                               cloneFrom: path)
        try? store.setVolumeOwner(path: copy, project: volume.project ?? request.project)
        return ActionOutcome(message: "Copied volume \(volume.name) to \(snapshotName) (\(gib) GiB) in pool \(pool).")
    }

    // MARK: images

    private func image(named name: String, in snapshot: CloudSnapshot) throws -> Image {
        guard let image = snapshot.images.first(where: { $0.name == name || $0.id == name }) else {
            throw BackendError.notFound(kind: "image", name: name)
        }
        return image
    }

    private func updateImage(_ request: ActionRequest) throws -> ActionOutcome {
        guard let name = request.targets.first else { throw BackendError.missingTarget(kind: .image, action: .update, usage: nil) }
        let image = try image(named: name, in: try snapshot())
        guard let path = image.path else { throw BackendError.notFound(kind: "image", name: name) }
        var metadata = try store.imageMetadata(path: path) ?? ImageMetadata(path: path, name: image.name)
        var changed: [String] = []
        for (key, value) in request.options.sorted {
            switch (key, value) {
            case (.name, .text(let text)): metadata.name = text
            case (.os, .text(let text)): metadata.os = text.isEmpty ? nil : text
            case (.minDisk, .integer(let number)) where number >= 0: metadata.minDiskGiB = number
            case (.minRAM, .integer(let number)) where number >= 0: metadata.minRamMiB = number
            case (.visibility, .choice(let word)):
                guard let visibility = Image.Visibility(rawValue: word) else {
                    throw BackendError.invalidOption(.visibility, reason: "--visibility is public, private, shared or community, "
                                                     + "not \"\(word)\".")
                }
                metadata.visibility = visibility
            default:
                throw BackendError.invalidOption(key, reason: "Images have --name, --os, --min-disk, --min-ram and --visibility; "
                                                 + "not \(key).")
            }
            changed.append(key.word)
        }
        guard !changed.isEmpty else { throw BackendError.invalidOption(.os, reason: "Say what to change, e.g. --os \"Debian 12\".") }
        try store.upsertImageMetadata(metadata)
        return ActionOutcome(message: "Updated image \(metadata.name): \(changed.joined(separator: ", ")).")
    }

    private func deleteImages(_ request: ActionRequest) throws -> ActionOutcome {
        let current = try snapshot()
        let images = try request.targets.map { try image(named: $0, in: current) }
        for image in images {
            let users = current.instances.filter { $0.image == image.name }.map(\.name)
            try BackendError.refuseIfHeld(.image, image.name, by: users, .usedBy, advice: "delete those instances (or keep the image)")
        }
        for image in images {
            guard let path = image.path else { throw BackendError.notFound(kind: "image", name: image.name) }
            try connection.deleteVolume(path: path)
            try store.deleteImageMetadata(path: path)
        }
        return ActionOutcome(message: "Deleted image \(images.map(\.name).joined(separator: ", ")).")
    }

    private func uploadImage(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        guard let file = request[.file] else {
            throw BackendError.invalidOption(.file, reason: "Say which local file to upload with --file PATH (qcow2 or raw).")
        }
        let current = try snapshot()
        guard !current.images.contains(where: { $0.name == name }) else {
            throw BackendError.nameTaken(kind: "image", name: name, scope: nil, option: nil)
        }
        let source = try ImageFile.open(file)
        defer { source.close() }
        let pool = try targetPool(request, current, preferring: "images")
        let fileName = name + "." + source.format
        let path = try connection.createVolume(poolName: pool, xml: VolumeXML.forUpload(name: fileName, format: source.format,
                                                                                         sizeBytes: source.size))
        do {
            let total = source.size
            try connection.upload(file: source.descriptor, size: total, toVolumePath: path) { sent in
                ActionProgress.report(ActionProgress.Update(what: "Uploading \(fileName)", done: sent, total: total))
            }
            let visibility = Image.Visibility(rawValue: request[.visibility] ?? "public") ?? .public
            try store.upsertImageMetadata(ImageMetadata(path: path, name: name, visibility: visibility,
                                                        project: request.project))
        } catch {
            // A failed upload leaves no half-written volume behind.
            try? connection.deleteVolume(path: path)
            throw error
        }
        return ActionOutcome(message: "Uploaded image \(name) (\(source.format), \(ByteCount.text(source.size))) to pool \(pool).")
    }

    // MARK: networks

    private func createNetwork(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        let current = try snapshot()
        guard !current.networks.contains(where: { $0.name == name }) else {
            throw BackendError.nameTaken(kind: "network", name: name, scope: nil, option: nil)
        }
        try QuotaCheck.require(.networks, adding: 1, project: request.project, snapshot: current)
        let plan = try NetworkPlan(name: name, request: request,
                                   bridgesInUse: Set(current.networks.compactMap(\.bridge)))
        try connection.createNetwork(xml: plan.xml)
        do {
            try store.upsertNetworkOwnership(NetworkOwnership(name: name, project: request.project))
        } catch {
            try? connection.deleteNetwork(name: name)
            throw error
        }
        return ActionOutcome(message: "Created \(plan.mode) network \(name) (\(plan.cidr)).")
    }

    private func deleteNetworks(_ request: ActionRequest) throws -> ActionOutcome {
        let current = try snapshot()
        for name in request.targets {
            guard current.networks.contains(where: { $0.name == name }) else { throw BackendError.notFound(kind: "network", name: name) }
            let users = current.instances.filter { $0.interfaces.contains { $0.network == name } }.map(\.name)
            try BackendError.refuseIfHeld(.network, name, by: users, .portsOf, advice: "detach or delete those instances first")
        }
        for name in request.targets { try connection.deleteNetwork(name: name) }
        return ActionOutcome(message: "Deleted network \(request.targets.joined(separator: ", ")).")
    }
}

enum ByteCount {
    static func text(_ bytes: UInt64) -> String {
        let mib = Double(bytes) / 1_048_576
        return mib >= 1024 ? String(format: "%.1f GiB", mib / 1024) : String(format: "%.1f MiB", mib)
    }
}
