/// A resource people know by name, with a stable id behind it.
public protocol NamedResource: Identifiable where ID == String {
    var name: String { get }
}

extension Instance: NamedResource {}
extension Image: NamedResource {}
extension Volume: NamedResource {}
extension Network: NamedResource {}
extension SecurityGroup: NamedResource {}
extension Project: NamedResource {}
extension Flavor: NamedResource {}
extension StoragePool: NamedResource {}
