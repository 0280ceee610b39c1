import StacktopModel

/// The one confirmation gate: every mutation, from a key, a `:` command or the shell, asks this
/// what the user must confirm before it runs. `--yes` in scripts skips the question, not the rule.
public enum Confirmation: Sendable, Equatable {
    /// Runs at once (starting a guest, locking it).
    case none
    /// Asks "…? (y/N)"; anything but `y` cancels.
    case yes(question: String)
    /// Destroys data, or touches several items destructively: the user types this text exactly.
    case typeText(question: String, expected: String)

    /// Whether `answer` confirms.
    public func accepts(_ answer: String) -> Bool {
        switch self {
        case .none: true
        case .yes: ["y", "yes"].contains(Self.trimmed(answer).lowercased())
        case .typeText(_, let expected): Self.trimmed(answer) == expected
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    public var question: String? {
        switch self {
        case .none: nil
        case .yes(let question), .typeText(let question, _): question
        }
    }
}

public enum ConfirmationPolicy {
    /// - Not destructive: none.
    /// - Destroys data (delete): type the name, or the count when there are several.
    /// - Destructive on one item: `y`. Destructive on several (e.g. reboot 3): type the count.
    /// With `snapshot`, deleting servers also names the disks that go with them and the volumes that stay
    /// (from each disk's `deleteOnTermination`, where the backend knows it).
    public static func requirement(for request: ActionRequest, snapshot: CloudSnapshot? = nil) -> Confirmation {
        let traits = request.action.traits
        guard traits.destructive else { return .none }
        let what = "\(traits.title.lowercased()) \(request.kind.noun)"
        let fates = request.action == .delete && request.kind == .instance ? snapshot.flatMap { deletionPreview(request.targets, in: $0) } : nil
        if request.targets.count > 1 {
            let count = String(request.targets.count)
            return .typeText(question: "This will \(what) on \(count) items: \(request.targets.joined(separator: ", "))"
                             + (fates.map { ", \($0)" } ?? "") + ". Type \(count) to confirm.", expected: count)
        }
        let name = request.targets.first ?? ""
        if traits.destroysData {
            let data = fates.map { ": \($0)" } ?? " and its data for good"
            return .typeText(question: "This will \(what) \(name)\(data). Type its name to confirm.",
                             expected: name)
        }
        return .yes(question: "\(traits.title) \(request.kind.noun) \(name)? (y/N)")
    }
}

extension ConfirmationPolicy {
    /// "deleting disks web-01-root.qcow2 and web-01-seed.iso for good and keeping volume data.qcow2"; nil when the
    /// backend does not say which disks go with a server.
    static func deletionPreview(_ targets: [String], in snapshot: CloudSnapshot) -> String? {
        let instances = targets.compactMap { target in snapshot.instances.first { $0.name == target || $0.id == target } }
        let disks = instances.flatMap(\.disks)
        guard !instances.isEmpty, disks.contains(where: { $0.deleteOnTermination != nil }) else { return nil }
        let name = { (disk: InstanceDisk) in disk.source.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? disk.target }
        let imagePaths = Set(snapshot.images.compactMap(\.path))
        let deleted = disks.filter { $0.deleteOnTermination == true }.map(name)
        let kept = disks.filter { disk in
            disk.deleteOnTermination != true && disk.device == .disk && !disk.readOnly
                && !imagePaths.contains(disk.source ?? "")
        }.map(name)
        let list = { (items: [String]) in
            items.count > 1 ? items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1] : items.first ?? ""
        }
        let plural = { (items: [String], word: String) in items.count == 1 ? word : word + "s" }
        var parts: [String] = []
        parts.append(deleted.isEmpty ? "deleting no disk" : "deleting \(plural(deleted, "disk")) \(list(deleted)) for good")
        if !kept.isEmpty { parts.append("keeping \(plural(kept, "volume")) \(list(kept))") }
        return parts.joined(separator: " and ")
    }
}
