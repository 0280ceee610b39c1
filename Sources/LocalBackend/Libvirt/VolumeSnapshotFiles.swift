import StacktopServices

/// Where a volume snapshot lives on a libvirt host, which has no volume-snapshot API: inside the volume's qcow2
/// file, as an internal snapshot that `qemu-img snapshot` takes, lists and deletes. That needs the file itself,
/// so stacktop must run on the host (a local `qemu:///system` or `qemu:///session`).
///
/// Chosen like `VolumeDataMover`, whose seam it follows: on the test driver (the demo, `.sizesOnly`) there are
/// no files, so taking and deleting touch nothing and the store's record is the whole snapshot. Every check
/// before the file (name, format, guest lock, quota) is the same code on both.
struct VolumeSnapshotFiles: Sendable {
    let mover: VolumeDataMover
    /// The libvirt URI, to tell whether the volume's file is on this machine.
    let uri: String
    var tool = QemuImg()

    init(mover: VolumeDataMover, uri: String, tool: QemuImg = QemuImg()) {
        self.mover = mover; self.uri = uri; self.tool = tool
    }

    init(connection: LibvirtConnection) {
        self.init(mover: connection.dataMover, uri: connection.uri)
    }

    /// Takes internal snapshot `tag` inside the qcow2 file at `path`.
    func take(tag: String, volume: String, path: String) throws {
        guard mover == .libvirt else { return }
        try requireHostFiles(volume: volume)
        try tool.requireInstalled()
        try tool.run(["-c", tag], on: path, what: "Taking a snapshot inside volume \(volume)")
    }

    /// Deletes internal snapshot `tag` from the file at `path`. A snapshot already gone from the file (deleted
    /// by hand, or the file replaced) is nothing to delete: only `tag` is ever touched, never another one.
    /// Returns whether the file held it.
    @discardableResult
    func remove(tag: String, volume: String, path: String) throws -> Bool {
        guard mover == .libvirt else { return true }
        try requireHostFiles(volume: volume)
        try tool.requireInstalled()
        guard try tool.tags(of: path, volume: volume).contains(tag) else { return false }
        try tool.run(["-d", tag], on: path, what: "Deleting a snapshot inside volume \(volume)")
        return true
    }

    private func requireHostFiles(volume: String) throws {
        guard Self.reachesHostFiles(uri) else {
            throw BackendError.unavailable(feature: "volume snapshots",
                                           reason: "Volume snapshots on a libvirt host are taken with qemu-img inside the "
                + "volume's own file, so stacktop needs the host's files and cannot do it over \(uri); run stacktop on "
                + "the host with qemu:///system (or qemu:///session).")
        }
    }

    /// A QEMU connection to the libvirtd of this machine (no host in the URI): its volumes are our files.
    static func reachesHostFiles(_ uri: String) -> Bool {
        let bare = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        return ["qemu:///system", "qemu:///session", "qemu+unix:///system", "qemu+unix:///session"].contains(bare)
    }
}

/// Debian's qemu-img (package qemu-utils), run without a shell. The file is always opened as qcow2
/// (`--image-opts driver=qcow2`), never probed, so a raw file whose first bytes look like qcow2 is refused
/// rather than read as one.
struct QemuImg: Sendable {
    var executable = "qemu-img"

    func requireInstalled() throws {
        let result = try ProcessRunner.run([executable, "--version"])
        guard result.status == 127 else { return }
        throw BackendError.unavailable(feature: "volume snapshots",
                                       reason: "qemu-img was not found; install Debian's qemu-utils (`apt-get install "
            + "qemu-utils`) to take volume snapshots on a libvirt host.")
    }

    /// The internal snapshot tags in the qcow2 file at `path` (`qemu-img snapshot -l`).
    func tags(of path: String, volume: String) throws -> [String] {
        let output = try run(["-l"], on: path, what: "Listing the snapshots inside volume \(volume)")
        // "ID  TAG  VM SIZE  DATE  VM CLOCK  ICOUNT" after a "Snapshot list:" line; tags stacktop makes have no
        // blanks, so the second field is the whole tag.
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[0].allSatisfy(\.isNumber) else { return nil }
            return String(fields[1])
        }
    }

    /// `qemu-img snapshot ARGS` on the qcow2 file at `path`; its output, or a failure with qemu-img's words.
    @discardableResult
    func run(_ arguments: [String], on path: String, what: String) throws -> String {
        // QEMU's option syntax: a comma inside a value is written twice.
        let image = "driver=qcow2,file.filename=" + path.split(separator: ",", omittingEmptySubsequences: false)
            .joined(separator: ",,")
        let result = try ProcessRunner.run([executable, "snapshot", "--image-opts"] + arguments + [image])
        guard result.status == 0 else {
            if result.status == 127 { try requireInstalled() }
            let said = result.output.split(separator: "\n").first.map(String.init) ?? "exit status \(result.status)"
            throw BackendError.failed(what: what, reason: said.hasSuffix(".") ? String(said.dropLast()) : said)
        }
        return result.output
    }
}
