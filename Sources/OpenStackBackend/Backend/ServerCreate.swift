import Foundation
import StacktopModel
import StacktopServices

/// `stacktop server create NAME --image|--volume X --flavor F [--networks a,b] [--security-groups g]
/// [--keypair k] [--count n] [--user-data FILE]` as one `POST /servers`.
extension OpenStackCloudBackend {
    func createServer(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop server create NAME --image IMAGE --flavor FLAVOR`"
        let name = try Self.single(request, usage)
        let image = Self.option(request, .image), volume = Self.option(request, .volume)
        if image != nil && volume != nil {
            throw BackendError.invalidOption(.image, reason: "Give either --image or --volume for server \(name), not both: "
                + "a server boots from one of them.")
        }
        guard image != nil || volume != nil else {
            throw BackendError.invalidOption(.image,
                                             reason: "Server \(name) needs something to boot: add --image IMAGE or --volume VOLUME.")
        }
        let flavor = try Self.required(request, .flavor,
                                       reason: "Server \(name) needs a flavor: add --flavor FLAVOR (see `stacktop flavor list`).")
        let count = try Self.positive(request, .count, what: "how many servers to create", upTo: 100) ?? 1
        var userData: String?
        if let path = Self.option(request, .userData) {
            userData = try Self.localFile(path, option: .userData).base64EncodedString()
            // Nova's limit is on the encoded text.
            if userData!.utf8.count > 65_535 {
                throw BackendError.invalidOption(.userData,
                                                 reason: "--user-data \(path) is too large for Nova (65535 bytes once base64 "
                    + "encoded); shorten it or have it fetch the rest.")
            }
        }

        // Every name becomes an id before Nova is asked, so a typo stops the request with nothing created.
        var server = ServerCreateRequest.Server(name: name, minCount: count, maxCount: count, flavorRef: try await flavorID(flavor))
        if let image { server.imageRef = try await resolver.resolve(image, kind: .image) }
        if let volume {
            server.blockDeviceMapping = [.init(uuid: try await resolver.resolve(volume, kind: .volume))]
        }
        var networks: [ServerCreateRequest.Network] = []
        for network in request.list(.networks) ?? [] {
            networks.append(.init(uuid: try await resolver.resolve(network, kind: .network)))
        }
        let version = await compute.negotiated()
        if !networks.isEmpty {
            server.networks = .chosen(networks)
        } else if let version, version >= Microversion(2, 37) {
            // From 2.37 Nova wants networks named; "auto" is what the CLI sends when none are.
            server.networks = .auto
        }
        let groups = request.list(.securityGroups) ?? []
        if !groups.isEmpty { server.securityGroups = groups.map(ServerCreateRequest.Named.init) }
        server.keyName = Self.option(request, .keypair)
        server.userData = userData
        if count > 1 { server.returnReservationID = true }

        let headers = await compute.headers()
        let what = "Create server \(name)"
        let response = try await client.send(.compute, "servers", method: .post,
                                             body: try Self.json(ServerCreateRequest(server: server)), headers: headers, what: what)
        var requestIDs = response.requestIDs
        let answer = Self.object(response.body) ?? [:]
        var ids: [String] = []
        if let id = (answer["server"] as? [String: Any])?["id"] as? String { ids = [id] }
        if let reservation = answer["reservation_id"] as? String {
            // Several servers answer with a reservation only; its servers are the new ones.
            let listed = try await client.send(.compute, "servers", query: [URLQueryItem(name: "reservation_id", value: reservation)],
                                               headers: headers, what: "Listing the servers of \(what.lowercased())")
            if let id = listed.requestID { requestIDs.append(id) }
            ids = Self.idNamePage(listed.body, key: "servers").items.map(\.id)
        }
        let idText = ids.isEmpty ? "" : " (" + (ids.count == 1 ? "id " : "ids ") + ids.joined(separator: ", ") + ")"
        let message = count == 1
            ? "Asked Nova to create server \(name)\(idText); it builds in the background."
            : "Asked Nova to create \(count) servers named \(name)-1 to \(name)-\(count)\(idText); they build in the background."
        return ActionOutcome(message: message, requestIDs: requestIDs)
    }
}

/// `POST /servers`: nil fields are left out, as Nova wants them absent rather than null.
struct ServerCreateRequest: Encodable {
    var server: Server

    struct Server: Encodable {
        var name: String
        var minCount: Int
        var maxCount: Int
        var flavorRef: String
        var imageRef: String?
        var blockDeviceMapping: [BootVolume]?
        var networks: Networks?
        var securityGroups: [Named]?
        var keyName: String?
        /// Base64, at most 65535 bytes encoded.
        var userData: String?
        /// Only with a count above one: Nova then answers with the reservation instead of a server.
        var returnReservationID: Bool?

        enum CodingKeys: String, CodingKey {
            case name, flavorRef, imageRef, networks
            case minCount = "min_count", maxCount = "max_count", blockDeviceMapping = "block_device_mapping_v2"
            case securityGroups = "security_groups", keyName = "key_name", userData = "user_data"
            case returnReservationID = "return_reservation_id"
        }
    }

    /// Boot from this volume, and keep it when the server goes.
    struct BootVolume: Encodable {
        var bootIndex = 0
        var uuid: String
        var sourceType = "volume"
        var destinationType = "volume"
        var deleteOnTermination = false

        init(uuid: String) { self.uuid = uuid }

        enum CodingKeys: String, CodingKey {
            case uuid, bootIndex = "boot_index", sourceType = "source_type", destinationType = "destination_type"
            case deleteOnTermination = "delete_on_termination"
        }
    }

    /// The networks named, or "auto" (microversion 2.37 and later, when none are).
    enum Networks: Encodable {
        case chosen([Network])
        case auto

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .chosen(let networks): try container.encode(networks)
            case .auto: try container.encode("auto")
            }
        }
    }

    struct Network: Encodable { var uuid: String }
    struct Named: Encodable { var name: String }
}
