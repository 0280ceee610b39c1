import Foundation
import XCTest
import StoreTestSupport
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopTestSupport

/// Flavors, key pairs, security groups and rules, quotas: store-only actions on a real SQLite store.
final class CatalogActionsTests: XCTestCase {
    private func actions(store: StateStore, quotas: [QuotaUsage] = [],
                         instances: [Instance] = []) -> CatalogActions {
        let snapshot = CloudSnapshot(instances: instances, quotas: [ProjectQuotas(project: "web", usages: quotas)])
        return CatalogActions(store: store, snapshot: { snapshot }, keys: KeyTool())
    }

    /// The schema's sentence for what does not parse (those refusals have no backend case).
    private func refusal(_ body: () throws -> Any?) -> String {
        do { _ = try body(); return "no error" } catch { return ErrorText.sentence(error) }
    }

    func testFlavorsAreCreatedCheckedAndDeleted() throws {
        let store = try makeStore(self)
        let catalog = actions(store: store)
        let created = try catalog.perform(ActionRequest(action: .create, kind: .flavor, targets: ["m1.tiny"],
                                                        text: [.vcpus: "1", .ram: "512", .disk: "1"]))
        XCTAssertEqual(created?.message, "Created flavor m1.tiny (1 vCPUs, 512 MiB RAM, 1 GiB disk).")
        XCTAssertEqual(try store.flavors().map(\.name), ["m1.tiny"])
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .create, kind: .flavor, targets: ["m1.tiny"],
                                                                        text: [.vcpus: "1", .ram: "512", .disk: "1"])) },
                       .nameTaken(kind: "flavor", name: "m1.tiny", scope: nil, option: nil))
        XCTAssertEqual(refusal { try catalog.perform(ActionRequest(action: .create, kind: .flavor, targets: ["x"],
                                                                   text: [.vcpus: "two", .ram: "1", .disk: "1"])) },
                       "--vcpus wants a whole number of 1 or more, not \"two\".")
        // Typed values that skipped the schema still meet the backend's own check.
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .create, kind: .flavor, targets: ["x"],
                                                                        options: [.vcpus: .integer(0), .ram: .integer(1),
                                                                                  .disk: .integer(1)])) },
                       .invalidOption(.vcpus, reason: "--vcpus must be a whole number above zero, not \"0\"."))
        _ = try catalog.perform(ActionRequest(action: .delete, kind: .flavor, targets: ["m1.tiny"]))
        XCTAssertEqual(try store.flavors(), [])
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .delete, kind: .flavor, targets: ["nope"])) },
                       .notFound(kind: "flavor", name: "nope"))
        XCTAssertNil(try catalog.perform(ActionRequest(action: .start, kind: .instance, targets: ["x"])),
                     "not a catalog action")
    }

    func testKeypairsImportGenerateAndRespectTheQuota() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p", name: "web"))
        let directory = try makeTemporaryDirectory(self)
        let catalog = actions(store: store, quotas: [QuotaUsage(resource: .keypairs, used: 1, limit: 3)])

        let privatePath = directory + "/id_stacktop"
        let generated = try catalog.perform(ActionRequest(action: .create, kind: .keypair, targets: ["laptop"],
                                                          text: [.privateKey: privatePath], project: "web"))
        XCTAssertEqual(generated?.message.hasPrefix("Created key pair laptop; its private key is in \(privatePath)"), true)
        let attributes = try FileManager.default.attributesOfItem(atPath: privatePath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let privateText = try String(contentsOfFile: privatePath, encoding: .utf8)
        XCTAssertTrue(privateText.contains("OPENSSH PRIVATE KEY"))
        let stored = try XCTUnwrap(try store.keypairs().first)
        XCTAssertTrue(stored.publicKey.hasPrefix("ssh-ed25519 "))
        XCTAssertTrue(stored.fingerprint.hasPrefix("SHA256:"))
        XCTAssertFalse(stored.publicKey.contains("PRIVATE"), "the store never holds the private key")

        // Importing: the .pub of the key just made, under another name.
        let publicPath = directory + "/id.pub"
        try (stored.publicKey + "\n").write(toFile: publicPath, atomically: true, encoding: .utf8)
        let imported = try catalog.perform(ActionRequest(action: .create, kind: .keypair, targets: ["laptop-2"],
                                                         text: [.publicKey: publicPath], project: "web"))
        XCTAssertEqual(imported?.message, "Imported key pair laptop-2 (\(stored.fingerprint)).")
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .create, kind: .keypair, targets: ["bad"],
                                                                        text: [.publicKey: privatePath], project: "web")) },
                       .invalidOption(.publicKey, reason: "\(privatePath) is not an OpenSSH public key (one line such as "
                                      + "\"ssh-ed25519 AAAA… user@host\"); import the .pub file, never the private key."),
                       "a private key is refused as a public one")
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .create, kind: .keypair, targets: ["again"],
                                                                        text: [.privateKey: privatePath], project: "web")) },
                       .invalidOption(.privateKey, reason: "\(privatePath) already exists; stacktop never overwrites a key. "
                                      + "Choose another path."))

        let full = actions(store: store, quotas: [QuotaUsage(resource: .keypairs, used: 3, limit: 3)])
        XCTAssertEqual(backendError { try full.perform(ActionRequest(action: .create, kind: .keypair, targets: ["more"],
                                                                     text: [.publicKey: publicPath], project: "web")) },
                       .quotaExceeded(project: "web", resource: "Key Pairs", limit: 3, inUse: 3, requested: 1))
    }

    func testSecurityGroupsRulesAndTheirChecks() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p", name: "web"))
        let catalog = actions(store: store, quotas: [QuotaUsage(resource: .securityGroups, used: 0, limit: 5)])
        _ = try catalog.perform(ActionRequest(action: .create, kind: .securityGroup, targets: ["api"],
                                              text: [.description: "API servers"], project: "web"))
        let added = try catalog.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: [],
                                                      text: [.group: "api", .ipProtocol: "tcp", .port: "8000-8080",
                                                                .remoteIP: "10.0.0.0/8"], project: "web"))
        XCTAssertEqual(added?.message, "Added ingress tcp port 8000-8080 from 10.0.0.0/8 to security group api.")
        let group = try XCTUnwrap(try store.securityGroups().first { $0.name == "api" })
        XCTAssertEqual(group.rules.map(\.direction), [.egress, .ingress], "new groups allow egress, as in Neutron")
        XCTAssertEqual(group.rules.last?.portMin, 8000)
        // No --protocol means any protocol, as in Neutron and on OpenStack.
        let anyRule = try catalog.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: ["api"],
                                                        text: [.remoteIP: "10.1.0.0/16"], project: "web"))
        XCTAssertEqual(anyRule?.message, "Added ingress any from 10.1.0.0/16 to security group api.")
        XCTAssertNil(try XCTUnwrap(try store.securityGroups().first { $0.name == "api" }).rules.last?.protocol)

        // Malformed values stop at the schema, before the backend; how the values go together is the rule's to say.
        let cases: [([OptionKey: String], String)] = [
            ([.group: "api", .ipProtocol: "tcp", .port: "70000"],
             "--port wants a port such as 22 or a range such as 8000-8080, within 1-65535, not \"70000\"."),
            ([.group: "api", .ipProtocol: "gre"], "--protocol wants tcp, udp, icmp or any, not \"gre\"."),
            ([.group: "api", .remoteIP: "10.0.0/8"], "--remote-ip wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.0.0/8\"."),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(refusal { try catalog.perform(ActionRequest(action: .create, kind: .securityGroupRule,
                                                                       targets: [], text: text, project: "web")) },
                           expected)
        }
        let rules: [([OptionKey: String], BackendError)] = [
            ([.group: "api", .ipProtocol: "icmp", .port: "22"],
             .invalidOption(.port, reason: "--port applies to tcp and udp only; drop it for icmp.")),
            ([.group: "api", .port: "22"], .invalidOption(.port, reason: "--port needs --protocol tcp or udp: without --protocol "
                + "a rule matches any protocol, which has no ports.")),
        ]
        for (text, expected) in rules {
            XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .create, kind: .securityGroupRule,
                                                                            targets: [], text: text, project: "web")) },
                           expected)
        }

        // In use: refused, and nothing is deleted.
        let user = Instance(id: "i1", name: "api-01", state: .running, vcpus: 1, memoryMiB: 512, project: "web",
                            securityGroups: ["api"])
        let busy = actions(store: store, instances: [user])
        XCTAssertEqual(backendError { try busy.perform(ActionRequest(action: .delete, kind: .securityGroup, targets: ["api"],
                                                                     project: "web")) },
                       .inUse(kind: .securityGroup, name: "api", by: ["api-01"], use: .usedBy,
                              advice: "remove it from those instances first"))
        let rule = try XCTUnwrap(group.rules.last)
        _ = try catalog.perform(ActionRequest(action: .delete, kind: .securityGroupRule, targets: [rule.id]))
        XCTAssertEqual(try store.securityGroups().first?.rules.count, 2, "the egress rule and the any-protocol one stay")
        _ = try catalog.perform(ActionRequest(action: .delete, kind: .securityGroup, targets: ["api"], project: "web"))
        XCTAssertEqual(try store.securityGroups(), [])
    }

    func testQuotaUpdatesForAProjectAndTheDefaults() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p", name: "web"))
        let catalog = actions(store: store)
        let outcome = try catalog.perform(ActionRequest(action: .update, kind: .quota, targets: ["web"],
                                                        text: [.instances: "20", .vcpus: "-1"]))
        XCTAssertEqual(outcome?.message, "Set the quotas of web: Instances 20, vCPUs unlimited.")
        XCTAssertEqual(try store.quotaLimits(project: "web")[.instances], 20)
        XCTAssertEqual(try store.quotaLimits(project: "web")[.cores], -1)
        _ = try catalog.perform(ActionRequest(action: .update, kind: .quota, targets: ["default"],
                                              text: [.securityGroups: "4"]))
        XCTAssertEqual(try store.quotaDefaults()[.securityGroups], 4)
        // A key no schema declares cannot be written (keys are `OptionKey`s); one the quota schema lacks is refused by it.
        XCTAssertTrue(refusal { try catalog.perform(ActionRequest(action: .update, kind: .quota, targets: ["web"],
                                                                  text: [.cidr: "1"])) }
            .hasPrefix("--cidr is not an option of quota update; it takes --instances, --cores"))
        XCTAssertEqual(refusal { try catalog.perform(ActionRequest(action: .update, kind: .quota, targets: ["web"],
                                                                   text: [.instances: "lots"])) },
                       "--instances wants a whole number of -1 or more, not \"lots\".")
        // A typed request that skipped the schema still meets the backend's own check.
        XCTAssertEqual(backendError { try catalog.perform(ActionRequest(action: .update, kind: .quota, targets: ["web"],
                                                                        options: [.instances: .integer(-5)])) }?.option,
                       .instances)
    }

    func testNWFilterXMLFromAGroup() {
        let group = SecurityGroup(id: "g1", name: "web", project: "p", rules: [
            SecurityGroupRule(id: "r1", direction: .ingress, protocol: "tcp", portMin: 80, portMax: 443, remoteCIDR: "0.0.0.0/0"),
            SecurityGroupRule(id: "r2", direction: .egress),
            SecurityGroupRule(id: "r3", direction: .ingress, ethertype: "IPv6", protocol: "icmp", remoteCIDR: "::/0"),
        ])
        let xml = NWFilterXML.group(group)
        XCTAssertTrue(xml.hasPrefix("<filter name='stacktop-sg-g1' chain='root'>"))
        XCTAssertTrue(xml.contains("<rule action='accept' direction='in' priority='500'>\n    <tcp state='NEW' dstportstart='80' dstportend='443' srcipaddr='0.0.0.0' srcipmask='0'/>"), xml)
        XCTAssertTrue(xml.contains("<rule action='accept' direction='out' priority='500'>\n    <all state='NEW'/>"), xml)
        XCTAssertTrue(xml.contains("<icmpv6 state='NEW' srcipaddr='::' srcipmask='0'/>"), xml)
        // A rule from another group admits exactly that group's members, and nothing while it has none.
        var peers = group
        peers.rules = [SecurityGroupRule(id: "r4", direction: .ingress, protocol: "tcp", portMin: 5432, portMax: 5432,
                                         remoteGroup: "app")]
        XCTAssertTrue(NWFilterXML.group(peers).contains("no member address known yet, so nothing is allowed"))
        XCTAssertFalse(NWFilterXML.group(peers).contains("<tcp"))
        let members = NWFilterXML.group(peers, groupAddresses: ["app": ["10.0.0.5", "10.0.0.6"]])
        XCTAssertTrue(members.contains("<tcp state='NEW' dstportstart='5432' dstportend='5432' srcipaddr='10.0.0.5' srcipmask='32'/>"), members)
        XCTAssertTrue(members.contains("srcipaddr='10.0.0.6'"))
        let instance = NWFilterXML.instance(uuid: "u1", groups: [group])
        XCTAssertTrue(instance.contains("<filterref filter='stacktop-sg-g1'/>"))
        XCTAssertTrue(instance.contains("<rule action='drop' direction='in' priority='1000'><all/></rule>"))
        XCTAssertFalse(instance.contains("direction='out' priority='1000'"), "a group with egress rules lets traffic out")
        XCTAssertTrue(NWFilterXML.instance(uuid: "u2", groups: []).contains("<rule action='drop' direction='out' priority='1000'>"))
    }
}
