import Foundation
import XCTest
import FuzzSupport
import TerminalUI
import YAMLKit

/// Fuzzing ships with the tests (DECISIONS.md): the theme files in themes/ and YAML documents, mutated
/// with fixed seeds. No input may trap, and each refusal is one sentence. `STACKTOP_FUZZ_LONG=1` tries 50
/// times as many; `STACKTOP_FUZZ_TRACE=PATH` keeps the current input.
final class ThemeYAMLFuzzTests: XCTestCase {
    private func themeSeeds() throws -> [[UInt8]] {
        let directory = ThemeLoaderTests.themesDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4, "themes/ holds the shipped themes")
        return try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))) }
    }

    func testThemeFilesSurviveMutation() throws {
        let seeds = try themeSeeds()
        var refused = 0
        let count = Fuzz.count(400)
        Fuzz.eachMutation(of: seeds, seed: 0x7E4E_0001, count: count, as: .yaml) { input in
            do {
                let theme = try ThemeLoader.parse(String(decoding: input, as: UTF8.self), name: "fuzz",
                                                  file: "/tmp/fuzz.yaml")
                _ = theme.name
            } catch {
                refused += 1
                Fuzz.assertSentence((error as? ThemeError)?.description ?? "\(error)", refusedBy: "ThemeLoader", input: input)
            }
        }
        print("themes: \(count) mutated theme files, \(refused) refused with a sentence")
    }

    /// YAML as clouds.yaml and the themes write it, plus flow style, block scalars and odd numbers; every
    /// node of what parses is read through each typed accessor.
    func testYAMLParserSurvivesMutation() throws {
        var seeds = try themeSeeds()
        seeds.append(Array("""
            clouds:
              prod:
                region_name: RegionOne
                api_timeout: 30
                verify: yes
                auth: {auth_url: "https://k:5000/v3", username: 'alice', password: "p\\u00e9"}
                regions: [RegionOne, {name: RegionTwo, values: {a: 0x1F, b: -0o17, c: 1_000, d: 1.5e3}}]
                description: |
                  two
                  lines
                folded: >-
                  one
                  line
            """.utf8))
        var refused = 0
        let count = Fuzz.count(400)
        Fuzz.eachMutation(of: seeds, seed: 0x7E4E_0002, count: count, as: .yaml) { input in
            do {
                guard let root = try YAML.parse(String(decoding: input, as: UTF8.self)) else { return }
                var pending = [root]
                while let node = pending.popLast() {
                    _ = (node.int, node.double, node.bool, node.string, node.isNull, node.kindDescription)
                    pending += node.items ?? []
                    pending += node.entries?.map(\.value) ?? []
                }
            } catch {
                refused += 1
                Fuzz.assertSentence((error as? YAMLError)?.description ?? "\(error)", refusedBy: "YAML.parse", input: input)
            }
        }
        print("YAML: \(count) mutated documents, \(refused) refused with a sentence")
    }

    /// The crash the suite found in YAMLNode.int, and the control characters in refusals, kept as plain tests.
    func testFoundProblemsStayFixed() throws {
        for text in ["--9223372036854775808", "-0x-8000000000000000", "+-1", "-+1"] {
            XCTAssertNil(try YAML.parse("a: \(text)")?["a"]?.int, text)
        }
        XCTAssertEqual(try YAML.parse("a: -9223372036854775807")?["a"]?.int, -9_223_372_036_854_775_807)
        XCTAssertEqual(try YAML.parse("a: -0x10")?["a"]?.int, -16)
        XCTAssertThrowsError(try ThemeLoader.parse("\"\\e\": x\n", name: "t", file: "/t.yaml")) { error in
            XCTAssertNil(Fuzz.sentenceProblem("\(error)"), "\(error)")
        }
    }
}
