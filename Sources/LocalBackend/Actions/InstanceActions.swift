import StacktopServices
import StacktopStore

/// Instance actions on a libvirt host: each target is read, checked against the lock and the
/// state rules, and only then handed to libvirt. Synchronous: callers keep it off their actor.
struct InstanceActions {
    let connection: LibvirtConnection
    let store: StateStore
    /// How long a delete waits for a running guest to let go of the volumes it keeps.
    var unplugTimeout: Duration = LocalCloudBackend.defaultUnplugTimeout

    func perform(_ request: ActionRequest) throws(BackendError) -> ActionOutcome {
        var seen = Set<String>()
        let targets = request.targets.filter { seen.insert($0).inserted }
        guard !targets.isEmpty else {
            throw .missingTarget(kind: .instance, action: request.action, usage: nil)
        }
        if request.action == .rename && targets.count > 1 {
            throw .oneAtATime(kind: .instance, action: .rename, usage: nil)
        }
        var done: [InstanceActionReport.Done] = []
        var failed: [(target: String, error: BackendError)] = []
        // A name and the UUID of the same instance would otherwise run the action twice.
        var handled = Set<String>()
        for target in targets {
            do {
                let status = try Self.backendErrors("Reading \(target)") { try connection.domainStatus(target) }
                guard handled.insert(status.uuid).inserted else { continue }
                done.append(try performOne(request.action, on: status, newName: request.action == .rename ? request[.name] : nil))
            } catch {
                failed.append((target, error))
            }
        }
        return try InstanceActionReport.outcome(request.action, done: done, failed: failed)
    }

    private func performOne(_ action: ActionKind, on status: DomainStatus,
                            newName: String?) throws(BackendError) -> InstanceActionReport.Done {
        let ownership = try Self.backendErrors("Reading the lock of \(status.name)") {
            try store.instanceOwnership(uuid: status.uuid)
        }
        let plan = try InstanceActionRules.plan(action, status: status, locked: ownership?.locked ?? false,
                                                newName: newName)
        var done = InstanceActionReport.Done(name: status.name)
        try Self.backendErrors("\(action.traits.title) \(status.name)") {
            switch plan {
            case .libvirt(let call):
                try connection.call(call, uuid: status.uuid, name: status.name)
            case .setLocked(let locked):
                var row = ownership ?? InstanceOwnership(uuid: status.uuid)
                row.locked = locked
                try store.upsertInstanceOwnership(row)
            case .rename(let newName):
                if connection.domainNameTaken(newName, except: status.uuid) {
                    throw BackendError.nameTaken(kind: "server", name: newName, scope: nil, option: .name)
                }
                try connection.call(.rename(to: newName), uuid: status.uuid, name: status.name)
                done.renamedTo = newName
            case .delete:
                let deletion = try InstanceDeletion(connection: connection, store: store, unplugTimeout: unplugTimeout)
                    .delete(status)
                done.deletedDisks = deletion.deleted
                done.keptDisks = deletion.kept
                done.heldAtPowerOff = deletion.heldAtPowerOff
                done.definedOutside = deletion.definedOutside
            }
        }
        return done
    }

    /// Keeps `BackendError`s and gives anything else a sentence, so the bulk report can list it.
    static func backendErrors<T>(_ what: String, _ body: () throws -> T) throws(BackendError) -> T {
        do {
            return try body()
        } catch let error as BackendError {
            throw error
        } catch {
            throw .failed(what: what, reason: "\(error)")
        }
    }
}
