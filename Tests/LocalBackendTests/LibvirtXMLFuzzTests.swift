#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import FuzzSupport
import StacktopServices
@testable import LocalBackend

/// Fuzzing ships with the tests (DECISIONS.md): the libvirt XML reader and the domain and network readers
/// built on it, fed seeded mutations of the demo host's domain, network and pool XML; then whole mutated
/// node files through libvirt's test driver and the inventory. No input may trap; each refusal is one
/// sentence. `STACKTOP_FUZZ_LONG=1` tries 50 times as many; `STACKTOP_FUZZ_TRACE=PATH` keeps the input.
final class LibvirtXMLFuzzTests: XCTestCase {
    /// Every `<tag ...>...</tag>` of the demo node, as written in it.
    private static func pieces(_ tag: String) -> [String] {
        let xml = DemoNodeXML.xml
        var found: [String] = []
        var rest = xml[...]
        while let start = rest.range(of: "<\(tag) "), let end = rest[start.lowerBound...].range(of: "</\(tag)>") {
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    func testXMLReaderAndDefinitionsSurviveMutation() {
        let seeds = (Self.pieces("domain") + Self.pieces("network") + Self.pieces("pool")).map { Array($0.utf8) }
        XCTAssertGreaterThanOrEqual(seeds.count, 15, "the demo node's domains, networks and pools")
        var refused = 0
        let count = Fuzz.count(600)
        Fuzz.eachMutation(of: seeds, seed: 0x11B5_0001, count: count, as: .xml) { input in
            let text = String(decoding: input, as: UTF8.self)
            do {
                let root = try input.withUnsafeBufferPointer { try XMLTree.parse($0) }
                _ = DomainDefinition(xml: root)
                _ = NetworkDefinition(xml: root)
                _ = root.first("devices", "disk", "target")?.trimmedText
            } catch {
                refused += 1
                // As `parseLibvirtXML` and `GraphicsDisplayResolver` say it.
                let sentence = BackendError.failed(what: "Reading the definition of instance web-01",
                                                   reason: "\(error)").description
                Fuzz.assertSentence(sentence, refusedBy: "XMLTree", input: input)
            }
            _ = SerialLog.path(domainXML: text)
            do {
                // These sentences start with the instance's name as its owner spelled it; a capitalised
                // name keeps the check on the shape of the rest.
                _ = try GraphicsDisplayResolver.display(domainXML: text, instanceName: "Web-01", hostName: "host")
            } catch {
                if let problem = Fuzz.sentenceProblem("\(error)") {
                    XCTFail("GraphicsDisplayResolver: \(problem): \(error)\ninput: \(Fuzz.describe(input))")
                }
            }
        }
        print("libvirt XML: \(count) mutated definitions, \(refused) refused with a sentence")
    }

    /// Whole node files through libvirt's test driver: what libvirt accepts, stacktop must read.
    func testMutatedNodeFilesThroughTheTestDriver() throws {
        let seed = Array(DemoNodeXML.xml.utf8)
        let directory = NSTemporaryDirectory() + "stacktop-fuzz-node-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var mutator = Mutator(seed: 0x11B5_0002)
        var opened = 0
        let count = Fuzz.count(30)
        for index in 0..<count {
            let input = mutator.mutate(seed, as: .xml)
            Fuzz.trace(input)
            let path = directory + "/node-\(index).xml"
            try Data(input).write(to: URL(fileURLWithPath: path))
            defer { unlink(path) }
            do {
                let connection = try LibvirtConnection(uri: "test://" + path, readOnly: true)
                opened += 1
                _ = try connection.inventory()
            } catch {
                if let problem = Fuzz.sentenceProblem("\(error)") {
                    XCTFail("the test driver's host: \(problem): \(error)\ninput: \(Fuzz.describe(input))")
                }
            }
        }
        print("libvirt test driver: \(count) mutated node files, \(opened) opened and read")
    }
}
