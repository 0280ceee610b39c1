import XCTest
import FuzzSupport
import StacktopServices
@testable import StacktopConfig

/// Fuzzing ships with the tests (DECISIONS.md): config.yaml, mutated from a few real ones with a fixed seed.
/// No input may trap; each refusal is one sentence starting with the file's path; every accepted host has a
/// name that can be typed and a URI without control characters.
final class StacktopConfigFuzzTests: XCTestCase {
    func testConfigFilesSurviveMutation() {
        let seeds = [
            "hosts:\n  lab-a: qemu+ssh://root@lab-a/system\n  lab-b:\n    uri: test:///srv/b.xml\n    readonly: true\n",
            "hosts: {a: 'qemu:///system', b: {uri: \"qemu:///session\", readonly: no}}\nclouds:\n  prod: {readonly: yes}\n",
            "# none\nhosts:\nclouds:\n",
        ].map { Array($0.utf8) }
        var refused = 0, hosts = 0
        let count = Fuzz.count(300)
        Fuzz.eachMutation(of: seeds, seed: 0x5C0F_0001, count: count, as: .yaml) { input in
            do {
                let config = try StacktopConfig.parse(String(decoding: input, as: UTF8.self), file: "/tmp/fuzz/config.yaml")
                for host in config.hosts {
                    hosts += 1
                    XCTAssertFalse(host.name.isEmpty || host.name.contains(" "), "\(host.name) from \(Fuzz.describe(input))")
                    XCTAssertFalse(host.endpoint.unicodeScalars.contains { $0.properties.generalCategory == .control },
                                   "\(host.endpoint) from \(Fuzz.describe(input))")
                }
            } catch {
                refused += 1
                let sentence = (error as? StacktopConfigError)?.message ?? "\(error)"
                Fuzz.assertSentence(sentence, refusedBy: "StacktopConfig", input: input)
                XCTAssertTrue(sentence.hasPrefix("/tmp/fuzz/config.yaml"), sentence)
            }
        }
        print("config.yaml: \(count) mutated files, \(refused) refused with a sentence, \(hosts) hosts accepted")
    }
}
