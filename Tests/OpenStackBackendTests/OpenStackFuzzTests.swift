import Foundation
import XCTest
import FuzzSupport
import StacktopServices
@testable import OpenStackBackend

/// Fuzzing ships with the tests (DECISIONS.md): every OpenStack decoder, the token and catalog reader, the
/// version document, the error-body reader and clouds.yaml/secure.yaml, fed seeded mutations of the vendored
/// samples. Each input must end without a trap, and each refusal must be one sentence.
/// `STACKTOP_FUZZ_LONG=1` tries 50 times as many inputs; `STACKTOP_FUZZ_TRACE=PATH` keeps the current input.
final class OpenStackFuzzTests: XCTestCase {
    /// One decoder and the sample files it reads.
    private struct Decoder: Sendable {
        var name: String
        var service: String
        var samples: Set<String>
        var decode: @Sendable (Data) throws -> Void
    }

    private static let lookup: NovaLookup = {
        let flavors = (try? Samples.data("nova/flavors/flavors-detail-resp.json"))
            .flatMap { try? NovaDecoder.flavors($0).items } ?? []
        return NovaLookup(flavorsByID: Dictionary(flavors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                          imageNamesByID: ["70a599e0-31e7-49b7-b260-868f441e862b": "debian"],
                          projectNamesByID: ["6f70656e737461636b20342065766572": "demo"])
    }()

    private static let decoders: [Decoder] = [
        Decoder(name: "NovaDecoder.servers", service: "nova", samples: ["servers-details-resp.json", "servers-list-resp.json"]) {
            _ = try NovaDecoder.servers($0, lookup: lookup)
        },
        Decoder(name: "NovaDecoder.server", service: "nova", samples: ["server-get-resp.json", "server-create-resp.json"]) {
            _ = try NovaDecoder.server($0, lookup: lookup)
        },
        Decoder(name: "NovaDecoder.flavors", service: "nova", samples: ["flavors-detail-resp.json"]) {
            _ = try NovaDecoder.flavors($0)
        },
        Decoder(name: "NovaDecoder.keypairs", service: "nova", samples: ["keypairs-list-resp.json"]) {
            _ = try NovaDecoder.keypairs($0, project: "demo")
        },
        Decoder(name: "NovaDecoder.limits", service: "nova", samples: ["limit-get-resp.json"]) {
            _ = try NovaDecoder.limits($0, project: "demo")
        },
        Decoder(name: "NovaDecoder.quotaSet", service: "nova",
                samples: ["quotas-show-get-resp.json", "quotas-show-detail-get-resp.json"]) {
            _ = try NovaDecoder.quotaSet($0, project: "demo")
        },
        Decoder(name: "NovaDecoder.hypervisors", service: "nova",
                samples: ["hypervisors-detail-resp.json", "hypervisors-list-resp.json"]) {
            _ = try NovaDecoder.hypervisors($0)
        },
        Decoder(name: "NovaDecoder.consoleOutput", service: "nova", samples: ["console-output-post-resp.json"]) {
            _ = try NovaDecoder.consoleOutput($0)
        },
        Decoder(name: "NovaDecoder.remoteConsole", service: "nova",
                samples: ["get-vnc-console-post-resp.json", "get-serial-console-post-resp.json", "create-vnc-console-resp.json"]) {
            _ = try NovaDecoder.remoteConsole($0)
        },
        Decoder(name: "GlanceDecoder.images", service: "glance", samples: ["images-list-response.json"]) {
            _ = try GlanceDecoder.images($0, projectNamesByID: ["a": "b"])
        },
        Decoder(name: "GlanceDecoder.image", service: "glance",
                samples: ["image-show-response.json", "image-create-response.json", "image-update-response.json"]) {
            _ = try GlanceDecoder.image($0)
        },
        Decoder(name: "CinderDecoder.volumes", service: "cinder", samples: ["volumes-list-detailed-response.json"]) {
            _ = try CinderDecoder.volumes($0, serverNamesByID: ["f4fda93b-06e0-4743-8117-bc8bcecd651b": "web"])
        },
        Decoder(name: "CinderDecoder.volume", service: "cinder",
                samples: ["volume-show-response.json", "volume-create-response.json"]) {
            _ = try CinderDecoder.volume($0)
        },
        Decoder(name: "CinderDecoder.snapshots", service: "cinder",
                samples: ["snapshots-list-response.json", "snapshots-list-detailed-response.json"]) {
            _ = try CinderDecoder.snapshots($0)
        },
        Decoder(name: "CinderDecoder.limits", service: "cinder", samples: ["limits-show-response.json"]) {
            _ = try CinderDecoder.limits($0, project: "demo")
        },
        Decoder(name: "CinderDecoder.quotaSet", service: "cinder",
                samples: ["quotas-show-response.json", "quotas-show-usage-response.json"]) {
            _ = try CinderDecoder.quotaSet($0, project: "demo")
        },
        Decoder(name: "NeutronDecoder.networks", service: "neutron", samples: ["networks-list-response.json"]) {
            _ = try NeutronDecoder.networks($0)
        },
        Decoder(name: "NeutronDecoder.network", service: "neutron",
                samples: ["network-show-response.json", "network-create-response.json"]) {
            _ = try NeutronDecoder.network($0)
        },
        Decoder(name: "NeutronDecoder.subnets", service: "neutron", samples: ["subnets-list-response.json"]) {
            _ = try NeutronDecoder.subnets($0)
        },
        Decoder(name: "NeutronDecoder.ports", service: "neutron", samples: ["ports-list-response.json"]) {
            _ = try NeutronDecoder.ports($0)
        },
        Decoder(name: "NeutronDecoder.routers", service: "neutron", samples: ["routers-list-response.json"]) {
            _ = try NeutronDecoder.routers($0)
        },
        Decoder(name: "NeutronDecoder.floatingIPs", service: "neutron", samples: ["floating-ips-list-response.json"]) {
            _ = try NeutronDecoder.floatingIPs($0)
        },
        Decoder(name: "NeutronDecoder.floatingIP", service: "neutron", samples: ["floatingip-create-response.json"]) {
            _ = try NeutronDecoder.floatingIP($0)
        },
        Decoder(name: "NeutronDecoder.securityGroups", service: "neutron",
                samples: ["security-groups-list-response.json", "security-group-create-response.json"]) {
            _ = try NeutronDecoder.securityGroups($0)
        },
        Decoder(name: "NeutronDecoder.securityGroupRules", service: "neutron",
                samples: ["security-group-rules-list-response.json"]) {
            _ = try NeutronDecoder.securityGroupRules($0)
        },
        Decoder(name: "NeutronDecoder.securityGroupRule", service: "neutron",
                samples: ["security-group-rule-create-response.json"]) {
            _ = try NeutronDecoder.securityGroupRule($0)
        },
        Decoder(name: "NeutronDecoder.quotas", service: "neutron",
                samples: ["quotas-list-for-project-response.json", "quota-details-show-for-project-response.json"]) {
            _ = try NeutronDecoder.quotas($0, project: "demo")
        },
        Decoder(name: "KeystoneDecoder.projects", service: "keystone",
                samples: ["projects-list-response.json", "get-available-project-scopes-response.json"]) {
            _ = try KeystoneDecoder.projects($0)
        },
        Decoder(name: "KeystoneDecoder.project", service: "keystone", samples: ["project-show-response.json"]) {
            _ = try KeystoneDecoder.project($0)
        },
        // The token reader throws Foundation's errors; KeystoneSession turns them into a sentence, so here
        // only "no trap" is asked of it. The catalog's refusal is the user's sentence and is checked.
        Decoder(name: "KeystoneToken+ServiceCatalog", service: "keystone",
                samples: ["project-scoped-password.json", "unscoped-password.json", "domain-scoped-password.json",
                          "system-scoped-password.json", "auth-application-credential-response.json"]) {
            guard let token = try? KeystoneToken(value: Secret("t"), body: $0) else { return }
            _ = token.description
            for service in ServiceType.allCases {
                _ = try token.catalog.endpoint(for: service, interface: .public, region: "RegionOne")
            }
        },
        Decoder(name: "APIVersion.parseDocument", service: "",
                samples: ["versions-get-resp.json", "versions-response.json", "image-versions-response.json",
                          "identity-versions-response.json", "versions-list-response.json"]) {
            let versions = APIVersion.parseDocument($0)
            _ = APIVersion.select(from: versions, endpoint: URL(string: "http://example.com/v2.1"))
            for version in versions { _ = version.negotiate(Microversion(2, 96)) }
        },
    ]

    /// Inputs per decoder (default run); every decoder cycles through its samples.
    static let inputsPerDecoder = 70

    func testDecodersSurviveMutatedSamples() throws {
        var mutator = Mutator(seed: 0x0057_AC70_0001)
        var tried = 0, refused = 0
        for decoder in Self.decoders {
            var seeds: [[UInt8]] = []
            for service in decoder.service.isEmpty ? ["nova", "glance", "cinder", "neutron", "keystone"] : [decoder.service] {
                seeds += try Samples.files(service, named: decoder.samples).map { Array(try Samples.data($0)) }
            }
            XCTAssertFalse(seeds.isEmpty, "no samples for \(decoder.name)")
            for index in 0..<Fuzz.count(Self.inputsPerDecoder) where !seeds.isEmpty {
                let input = mutator.mutate(seeds[index % seeds.count], as: .json)
                Fuzz.trace(input)
                tried += 1
                do {
                    try decoder.decode(Data(input))
                } catch {
                    refused += 1
                    Fuzz.assertSentence("\(error)", refusedBy: decoder.name, input: input)
                }
            }
        }
        print("OpenStack decoders: \(tried) mutated inputs, \(refused) refused with a sentence")
    }

    /// Error answers as the services write them, with a Retry-After header: the refusal stacktop makes of
    /// each (`RemoteFailure`, shown as the action's error) must stay one sentence, whatever the body says.
    func testErrorAnswersAlwaysMakeASentence() {
        let bodies = [
            #"{"itemNotFound": {"message": "Instance could not be found.", "code": 404}}"#,
            #"{"NeutronError": {"type": "NetworkNotFound", "message": "Network 1 could not be found.", "detail": ""}}"#,
            #"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#,
            #"{"errors": [{"status": 409, "title": "Conflict", "detail": "There was a conflict.", "request_id": "req-1"}]}"#,
            #"{"title": "Forbidden", "description": "Access was denied to this resource."}"#,
            #"{"overLimit": {"message": "Quota exceeded for cores: Requested 4, but already used 20 of 20 cores", "code": 403}}"#,
            "<html><head><title>503 Service Unavailable</title></head><body><h1>503</h1>No server is available.</body></html>",
            "404 Not Found\n\nThe resource could not be found.\n\n   ",
        ].map { Array($0.utf8) }
        let retryAfter = Mutator.hostileNumbers + ["nan", "inf", "-inf", "", " 3 ", "Wed, 21 Oct 2015 07:28:00 GMT",
                                                   "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"]
        var mutator = Mutator(seed: 0x0057_AC70_0002)
        let statuses = [0, -1, 400, 401, 403, 404, 409, 413, 429, 500, 503, 599, 999]
        for index in 0..<Fuzz.count(500) {
            let seed = bodies[index % bodies.count]
            let input = mutator.mutate(seed, as: index % bodies.count >= 6 ? .xml : .json)
            Fuzz.trace(input)
            let status = statuses[mutator.below(statuses.count)]
            var headers = ["x-openstack-request-id": "req-\(index)"]
            if index % 2 == 0 { headers["Retry-After"] = mutator.pick(retryAfter) }
            let response = HTTPResponse(status: status, headers: headers, body: Data(input))
            let refusal = RemoteFailure.error(what: "Listing servers", response: response).description
            if let problem = Fuzz.sentenceProblem(refusal) {
                XCTFail("RemoteFailure: \(problem): \(refusal)\ninput: \(Fuzz.describe(input))")
            }
            // The older one-line reader and the plain sentence reader must not trap either.
            _ = RemoteErrorReason.from(response)
            _ = OpenStackErrorText.sentence(status: status, body: Data(input))
        }
    }

    /// clouds.yaml and secure.yaml, mutated, read from a temporary HOME as the CLI would.
    func testCloudsYamlAndSecureYamlSurviveMutation() throws {
        let clouds = """
            clouds:
              prod:
                region_name: RegionOne
                interface: public
                identity_api_version: 3
                api_timeout: 30
                verify: true
                auth:
                  auth_url: https://keystone.example:5000/v3
                  username: alice
                  project_name: web
                  user_domain_name: Default
                  project_domain_id: default
              appcred:
                auth_type: v3applicationcredential
                auth:
                  auth_url: http://10.0.0.1/identity
                  application_credential_id: 21dced0fd20347869b93710d2b98aae0
                  application_credential_secret: shh
                compute_endpoint_override: http://nova.example/v2.1
                insecure: yes
              tok:
                auth_type: token
                auth:
                  auth_url: https://k.example/v3/
                  token: gAAAAA
                  project_id: 0c4e939acacf4376bdcd1129f1a054ad
                regions:
                  - RegionOne
                  - name: RegionTwo
            """
        let secure = """
            clouds:
              prod:
                auth:
                  password: s3cret
              appcred:
                auth:
                  application_credential_secret: other
            """
        let fx = try CloudConfigFixture()
        defer { fx.remove() }
        var mutator = Mutator(seed: 0x0057_AC70_0003)
        var tried = 0, refused = 0
        for index in 0..<Fuzz.count(150) {
            let mutateSecure = index % 3 == 2
            let cloudsText = mutateSecure ? Array(clouds.utf8) : mutator.mutate(clouds, as: .yaml)
            let secureText = mutateSecure ? mutator.mutate(secure, as: .yaml) : Array(secure.utf8)
            Fuzz.trace(mutateSecure ? secureText : cloudsText)
            try Data(cloudsText).write(to: URL(fileURLWithPath: fx.userDir + "/clouds.yaml"))
            try Data(secureText).write(to: URL(fileURLWithPath: fx.userDir + "/secure.yaml"))
            for cloud in ["prod", "appcred", "tok", nil] as [String?] {
                tried += 1
                do {
                    let config = try fx.load(cloud: cloud)
                    _ = config.description
                } catch {
                    refused += 1
                    Fuzz.assertSentence("\(error)", refusedBy: "CloudConfigLoader (\(cloud ?? "no cloud named"))",
                                        input: mutateSecure ? secureText : cloudsText)
                }
            }
        }
        print("clouds.yaml/secure.yaml: \(tried) loads of mutated files, \(refused) refused with a sentence")
    }

    /// The crashes the suite found, each kept as a plain test (DECISIONS.md lists them).
    func testFoundCrashesStayFixed() throws {
        let server = #"{"server": {"id": "s", "name": "n", "image": {"id": "i"}, "flavor": {"disk": 9007199254740993, "vcpus": 9223372036854775807, "ram": 1e300}}}"#
        let instance = try NovaDecoder.server(Data(server.utf8))
        XCTAssertEqual(instance.vcpus, 0, "an absurd vCPU count reads as unknown")
        XCTAssertNil(instance.disks.first?.capacityBytes, "2^53 GiB is more bytes than UInt64 holds")

        let flavors = #"{"flavors": [{"id": "1", "name": "huge", "vcpus": 1, "ram": 512, "disk": 9223372036854775807}]}"#
        XCTAssertThrowsError(try NovaDecoder.flavors(Data(flavors.utf8))) { error in
            XCTAssertTrue("\(error)".contains("flavors[0].disk"), "\(error)")
        }

        let volumes = #"{"volumes": [{"id": "v", "size": 17179869184, "status": "available"}]}"#
        XCTAssertThrowsError(try CinderDecoder.volumes(Data(volumes.utf8))) { error in
            XCTAssertTrue("\(error)".contains("volumes[0].size"), "\(error)")
            XCTAssertNil(Fuzz.sentenceProblem("\(error)"))
        }

        for wait in ["1e300", "nan", "inf", "-5"] {
            let response = HTTPResponse(status: 429, headers: ["Retry-After": wait], body: Data())
            XCTAssertNil(OpenStackClient.retryAfter(response), wait)
            XCTAssertNil(Fuzz.sentenceProblem(RemoteFailure.error(what: "Listing servers", response: response).description))
        }

        let rule = #"{"security_group_rule": {"id": "r", "direction": "\u001b[2J", "security_group_id": "g"}}"#
        XCTAssertThrowsError(try NeutronDecoder.securityGroupRule(Data(rule.utf8))) { error in
            XCTAssertTrue("\(error)".contains("\u{241B}[2J"), "ESC is shown as its picture: \(error)")
        }
    }
}
