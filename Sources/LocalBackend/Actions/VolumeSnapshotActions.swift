import FoundationEssentials
import StacktopModel
import StacktopServices
import StacktopStore

/// Volume snapshots on a libvirt host: an internal snapshot inside the volume's qcow2 file (`VolumeSnapshotFiles`;
/// nothing on the demo), recorded in the store, which is their only list. The file is changed first and the
/// record follows, so a record never tells of a snapshot that was not taken; on deleting, the snapshot leaves the
/// file before its record goes.
struct VolumeSnapshotActions {
    let store: StateStore
    let files: VolumeSnapshotFiles
    let snapshot: @Sendable () throws -> CloudSnapshot

    func perform(_ request: ActionRequest) throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.volumeSnapshot, .create): return try create(request)
        case (.volumeSnapshot, .delete): return try delete(request)
        default: return nil
        }
    }

    private func create(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        guard let volumeName = request[.volume], !volumeName.isEmpty else {
            throw BackendError.invalidOption(.volume, reason: "Name the volume to take snapshot \(name) of: add --volume VOLUME.")
        }
        let current = try snapshot()
        let volume = try StorageActions.volume(named: volumeName, in: current)
        guard !current.volumeSnapshots.contains(where: { $0.name == name }) else {
            throw BackendError.nameTaken(kind: ResourceKind.volumeSnapshot.noun, name: name, scope: nil, option: nil)
        }
        let format = volume.format ?? volume.path.map(LocalSnapshotAssembler.formatFromExtension) ?? "raw"
        guard format == "qcow2" else {
            throw BackendError.unavailable(feature: "volume snapshots",
                                           reason: "Volume \(volume.name) is \(format), and only qcow2 volumes take snapshots "
                + "on a libvirt host; copy it into a qcow2 volume first (`stacktop volume snapshot NAME` makes one).")
        }
        try Self.refuseWhileLocked(volume, in: current, toDo: "take a snapshot of it")
        let project = volume.project ?? request.project
        try QuotaCheck.require(.snapshots, adding: 1, project: project, snapshot: current)
        guard let path = volume.path else { throw BackendError.notFound(kind: "volume", name: volumeName) }

        // The id is the tag inside the file: ours, so a name cannot be taken for an option or clash with another tag.
        let record = VolumeSnapshotRecord(id: UUID().uuidString.lowercased(), name: name, volumePath: path,
                                          sizeBytes: volume.sizeBytes,
                                          description: request[.description].flatMap { $0.isEmpty ? nil : $0 },
                                          project: project, createdAt: Date())
        try files.take(tag: record.id, volume: volume.name, path: path)
        do {
            try store.recordVolumeSnapshot(record)
        } catch {
            // No snapshot in a file that no list shows.
            _ = try? files.remove(tag: record.id, volume: volume.name, path: path)
            throw error
        }
        return ActionOutcome(message: "Took snapshot \(name) of volume \(volume.name)"
                                + (files.mover == .sizesOnly ? " (the demo keeps its record; no file holds it)." : "."))
    }

    private func delete(_ request: ActionRequest) throws -> ActionOutcome {
        guard !request.targets.isEmpty else {
            throw BackendError.missingTarget(kind: .volumeSnapshot, action: .delete, usage: nil)
        }
        let current = try snapshot()
        let records = Dictionary(try store.volumeSnapshotRecords().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Every name first, so one unknown or ambiguous name deletes nothing.
        let chosen = try request.targets.map { target -> (VolumeSnapshot, VolumeSnapshotRecord) in
            let matches = current.volumeSnapshots.filter { $0.id == target || $0.name == target }
            guard let found = matches.first, let record = records[found.id] else {
                throw BackendError.notFound(kind: ResourceKind.volumeSnapshot.rawValue, name: target)
            }
            guard matches.count == 1 else {
                throw BackendError.ambiguousName(kind: ResourceKind.volumeSnapshot.noun, name: target,
                                                 candidates: matches.map(\.id), tellApartBy: .id)
            }
            return (found, record)
        }
        for (shown, record) in chosen {
            if let volume = current.volumes.first(where: { $0.path == record.volumePath }) {
                try Self.refuseWhileLocked(volume, in: current, toDo: "delete snapshot \(shown.name) from it")
            }
        }
        var notInFile: [String] = []
        for (shown, record) in chosen {
            // A snapshot whose volume is gone went with the file: only its record is left to forget.
            if let volume = current.volumes.first(where: { $0.path == record.volumePath }),
               try !files.remove(tag: record.id, volume: volume.name, path: record.volumePath) {
                notInFile.append(shown.name)
            }
            try store.forgetVolumeSnapshot(id: record.id)
        }
        let names = chosen.map(\.0.name).joined(separator: ", ")
        let noun = chosen.count == 1 ? "volume snapshot" : "volume snapshots"
        return ActionOutcome(message: "Deleted \(noun) \(names)" + (notInFile.isEmpty ? "." : "; "
            + notInFile.joined(separator: ", ") + (notInFile.count == 1 ? " was" : " were")
            + " no longer inside the volume's file, so only the record went."))
    }

    /// A guest that is not shut off holds the volume's file open and locked, and qemu-img would corrupt or be
    /// refused by it; a suspended guest (managed save) has no QEMU process left.
    static func refuseWhileLocked(_ volume: Volume, in snapshot: CloudSnapshot, toDo what: String) throws {
        let holders = snapshot.instances.filter {
            volume.attachedTo.contains($0.name) && ![.shutoff, .suspended].contains($0.state)
        }
        guard let first = holders.first else { return }
        throw BackendError.inUse(kind: .volume, name: volume.name, by: holders.map(\.name),
                                 use: .holdingLock(state: first.state.label.lowercased()),
                                 advice: "shut \(holders.count > 1 ? "them" : "it") off or detach the volume first to \(what)")
    }
}
