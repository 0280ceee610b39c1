import Foundation
import StacktopModel
import StacktopServices

/// Key pairs are imported only: Nova's key generation is deprecated (gone from microversion 2.92).
extension OpenStackCloudBackend {
    func createKeypair(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop keypair create NAME --public-key FILE`")
        let path = try Self.required(request, .publicKey,
                                     reason: "OpenStack no longer generates key pairs (Nova deprecated it), so import "
                                         + "one: make it with ssh-keygen and add --public-key ~/.ssh/id_ed25519.pub.")
        let key = String(decoding: try Self.localFile(path, option: .publicKey), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard key.hasPrefix("ssh-") || key.hasPrefix("ecdsa-") || key.hasPrefix("sk-") else {
            throw BackendError.invalidOption(.publicKey,
                                             reason: "--public-key \(path) is not an OpenSSH public key; give the .pub file, "
                + "never the private key.")
        }
        let response = try await client.send(.compute, "os-keypairs", method: .post,
                                             body: try Self.json(KeypairImportRequest(keypair: .init(name: name, publicKey: key))),
                                             headers: await compute.headers(), what: "Import key pair \(name)")
        let fingerprint = Self.answerField(response.body, "keypair", "fingerprint")
        return ActionOutcome(message: "Imported key pair \(name) from \(path)"
                                + (fingerprint.map { " (fingerprint \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }
}

/// `POST /os-keypairs`: `{"keypair": {"name": "mine", "public_key": "ssh-ed25519 …"}}`.
struct KeypairImportRequest: Encodable {
    var keypair: Keypair
    struct Keypair: Encodable {
        var name: String
        var publicKey: String
        enum CodingKeys: String, CodingKey { case name, publicKey = "public_key" }
    }
}
