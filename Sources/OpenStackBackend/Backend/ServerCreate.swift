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
            throw BackendError.refused(reason: "Give either --image or --volume for server \(name), not both: "
                + "a server boots from one of them.")
        }
        guard image != nil || volume != nil else {
            throw BackendError.refused(reason: "Server \(name) needs something to boot: add --image IMAGE or --volume VOLUME.")
        }
        guard let flavor = Self.option(request, .flavor) else {
            throw BackendError.refused(reason: "Server \(name) needs a flavor: add --flavor FLAVOR (see `stacktop flavor list`).")
        }
        let count = try Self.positive(request, .count, what: "how many servers to create", upTo: 100) ?? 1
        var userData: String?
        if let path = Self.option(request, .userData) {
            userData = try Self.localFile(path, option: "user-data").base64EncodedString()
            // Nova's limit is on the encoded text.
            if userData!.utf8.count > 65_535 {
                throw BackendError.refused(reason: "--user-data \(path) is too large for Nova (65535 bytes once base64 "
                    + "encoded); shorten it or have it fetch the rest.")
            }
        }

        // Every name becomes an id before Nova is asked, so a typo stops the request with nothing created.
        var server: [String: Any] = ["name": name, "min_count": count, "max_count": count,
                                     "flavorRef": try await flavorID(flavor)]
        if let image { server["imageRef"] = try await resolver.resolve(image, kind: .image) }
        if let volume {
            server["block_device_mapping_v2"] = [[
                "boot_index": 0, "uuid": try await resolver.resolve(volume, kind: .volume),
                "source_type": "volume", "destination_type": "volume", "delete_on_termination": false,
            ] as [String: Any]]
        }
        var networks: [[String: String]] = []
        for network in request.list(.networks) ?? [] {
            networks.append(["uuid": try await resolver.resolve(network, kind: .network)])
        }
        let version = await compute.negotiated()
        if !networks.isEmpty {
            server["networks"] = networks
        } else if let version, version >= Microversion(2, 37) {
            // From 2.37 Nova wants networks named; "auto" is what the CLI sends when none are.
            server["networks"] = "auto"
        }
        let groups = request.list(.securityGroups) ?? []
        if !groups.isEmpty { server["security_groups"] = groups.map { ["name": $0] } }
        if let keypair = Self.option(request, .keypair) { server["key_name"] = keypair }
        if let userData { server["user_data"] = userData }
        if count > 1 { server["return_reservation_id"] = true }

        let headers = await compute.headers()
        let what = "Create server \(name)"
        let response = try await client.send(.compute, "servers", method: .post,
                                             body: try Self.json(["server": server]), headers: headers, what: what)
        var requestIDs = response.requestID.map { [$0] } ?? []
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
