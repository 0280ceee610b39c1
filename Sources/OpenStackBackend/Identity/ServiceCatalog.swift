import Foundation
import StacktopServices

/// The service catalog a scoped token carries.
public struct ServiceCatalog: Sendable, Equatable, Decodable {
    public struct Endpoint: Sendable, Equatable, Decodable {
        public var interface: String
        public var region: String?
        public var regionID: String?
        public var url: String

        enum CodingKeys: String, CodingKey {
            case interface, region, url
            case regionID = "region_id"
        }

        public init(interface: String, region: String?, regionID: String? = nil, url: String) {
            self.interface = interface
            self.region = region
            self.regionID = regionID
            self.url = url
        }

        func isIn(region wanted: String) -> Bool { region == wanted || regionID == wanted }
    }

    public struct Service: Sendable, Equatable, Decodable {
        public var type: String
        public var name: String?
        public var endpoints: [Endpoint]

        public init(type: String, name: String?, endpoints: [Endpoint]) {
            self.type = type
            self.name = name
            self.endpoints = endpoints
        }
    }

    public var services: [Service]

    public init(services: [Service]) { self.services = services }

    public init(from decoder: any Decoder) throws {
        services = try [Service](from: decoder)
    }

    /// The endpoint of `service` for this interface and region (any region when nil). Catalog types
    /// are tried in `ServiceType.catalogTypes` order, so `block-storage` wins over `volumev3`.
    public func endpoint(for service: ServiceType, interface: EndpointInterface, region: String?) throws -> URL {
        let candidates = service.catalogTypes.flatMap { type in services.filter { $0.type == type } }
        for entry in candidates {
            let matching = entry.endpoints.filter { endpoint in
                endpoint.interface == interface.rawValue && (region.map { endpoint.isIn(region: $0) } ?? true)
            }
            if let first = matching.first, let url = URL(string: first.url) { return url }
        }
        throw missingEndpointError(service, interface: interface, region: region, candidates: candidates)
    }

    private func missingEndpointError(_ service: ServiceType, interface: EndpointInterface, region: String?,
                                      candidates: [Service]) -> BackendError {
        let wanted = "\(interface.rawValue) \(service.rawValue) endpoint" + (region.map { " in region \($0)" } ?? "")
        let seen = candidates.flatMap(\.endpoints).map { endpoint in
            endpoint.interface + ((endpoint.region ?? endpoint.regionID).map { " in \($0)" } ?? "")
        }
        let reason: String
        if services.isEmpty {
            reason = "the token has no service catalog; set a project (OS_PROJECT_NAME) so the token is scoped"
        } else if candidates.isEmpty {
            reason = "the service catalog has no \(service.catalogTypes.joined(separator: " or ")) service; "
                + "this cloud does not offer it"
        } else {
            reason = "the service catalog lists only \(Set(seen).sorted().joined(separator: ", ")); "
                + "set OS_REGION_NAME / OS_INTERFACE (region_name / interface in clouds.yaml) to one of them"
        }
        return .failed(what: "Finding the \(wanted)", reason: reason)
    }
}
