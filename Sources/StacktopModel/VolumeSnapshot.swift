/// A point-in-time copy of a volume's contents, kept beside the volume: a Cinder snapshot, or on a
/// libvirt host an internal snapshot inside the volume's qcow2 file (recorded in the state store).
public struct VolumeSnapshot: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// The volume it was taken of (its id), and that volume's name when the snapshot knows it.
    public var volumeID: String
    public var volumeName: String?
    /// The volume's size when the snapshot was taken.
    public var sizeBytes: UInt64
    /// "available", "creating", "deleting", "error", ...
    public var status: String
    public var description: String?
    public var project: String?
    public var createdAt: Date?

    public init(id: String, name: String, volumeID: String, volumeName: String? = nil, sizeBytes: UInt64,
                status: String = "available", description: String? = nil, project: String? = nil,
                createdAt: Date? = nil) {
        self.id = id; self.name = name; self.volumeID = volumeID; self.volumeName = volumeName
        self.sizeBytes = sizeBytes; self.status = status; self.description = description; self.project = project
        self.createdAt = createdAt
    }
}
