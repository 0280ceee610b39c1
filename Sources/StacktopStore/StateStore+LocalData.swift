extension StateStore {
    /// Everything the snapshot needs from the store, read in one transaction so a concurrent
    /// writer cannot leave it half old, half new.
    public func localData() throws -> LocalStoreData {
        try withDatabase { db in
            try db.transaction(write: false) {
                LocalStoreData(
                    projects: try Self.fetchProjects(db),
                    flavors: try Self.fetchFlavors(db),
                    keypairs: try Self.fetchKeypairs(db),
                    securityGroups: try Self.fetchSecurityGroups(db),
                    imageMetadata: Dictionary(try Self.fetchImageMetadata(db).map { ($0.path, $0) },
                                              uniquingKeysWith: { first, _ in first }),
                    instanceOwnership: Dictionary(try Self.fetchInstanceOwnership(db).map { ($0.uuid, $0) },
                                                  uniquingKeysWith: { first, _ in first }),
                    volumeOwners: try Self.fetchVolumeOwners(db),
                    networkOwnership: try Self.fetchNetworkOwnership(db),
                    quotaLimits: try Self.fetchAllQuotaLimits(db),
                    instanceDisks: try Self.fetchInstanceDiskOwners(db),
                    volumeSnapshots: try Self.fetchVolumeSnapshots(db))
            }
        }
    }
}
