import XCTest
import YAMLKit

final class YAMLTests: XCTestCase {
    func testMappingsSequencesAndScalarsCarryTheirPositions() throws {
        let text = """
        # a comment first
        name: demo
        clouds:
          - region: "RegionOne"
            verify: no
          - region: two
        ports: [22, 0x50, -3]
        flow: { a: 1, b: 'x' }
        """
        let root = try XCTUnwrap(YAML.parse(text))
        XCTAssertEqual(root.line, 2)
        XCTAssertEqual(root["name"]?.string, "demo")
        XCTAssertEqual(root["name"]?.line, 2)
        XCTAssertEqual(root["name"]?.column, 7)
        XCTAssertEqual(root.entry("clouds")?.keyLine, 3)

        let clouds = try XCTUnwrap(root["clouds"]?.items)
        XCTAssertEqual(clouds.count, 2)
        XCTAssertEqual(clouds[0]["region"]?.string, "RegionOne")
        XCTAssertEqual(clouds[0]["region"]?.line, 4)
        XCTAssertEqual(clouds[0]["verify"]?.bool, false)
        XCTAssertEqual(clouds[0]["verify"]?.line, 5)
        XCTAssertEqual(root["clouds"]?[1]?["region"]?.string, "two")
        XCTAssertEqual(root["clouds"]?[1]?.line, 6)
        XCTAssertNil(root["clouds"]?[2])

        XCTAssertEqual(root["ports"]?.items?.compactMap(\.int), [22, 80, -3])
        XCTAssertEqual(root["flow"]?["a"]?.int, 1)
        XCTAssertEqual(root["flow"]?["b"]?.string, "x")
        XCTAssertEqual(root["flow"]?.entries?.map(\.key), ["a", "b"], "entries keep file order")
        XCTAssertNil(root["missing"])
        XCTAssertNil(root["name"]?["x"], "a scalar has no keys")
    }

    func testScalarInterpretation() throws {
        let root = try XCTUnwrap(YAML.parse("""
        a: yes
        b: "yes"
        c: Off
        d: 007
        e: "42"
        f:
        g: ~
        h: 1.5
        i: !!str true
        j: |
          two
          lines
        """))
        XCTAssertEqual(root["a"]?.bool, true)
        XCTAssertNil(root["b"]?.bool, "quoted scalars are strings")
        XCTAssertEqual(root["b"]?.string, "yes")
        XCTAssertEqual(root["c"]?.bool, false)
        XCTAssertEqual(root["d"]?.int, 7)
        XCTAssertEqual(root["d"]?.string, "007", "strings keep what was written")
        XCTAssertNil(root["e"]?.int)
        XCTAssertEqual(root["f"]?.isNull, true)
        XCTAssertNil(root["f"]?.string)
        XCTAssertEqual(root["g"]?.isNull, true)
        XCTAssertEqual(root["h"]?.double, 1.5)
        XCTAssertNil(root["h"]?.int)
        XCTAssertNil(root["i"]?.bool, "!!str makes it a string")
        XCTAssertEqual(root["j"]?.string, "two\nlines", "clip chomping; the text has no final newline")
    }

    func testEmptyDocumentsAreNil() throws {
        XCTAssertNil(try YAML.parse(""))
        XCTAssertNil(try YAML.parse("# only a comment\n\n"))
        XCTAssertEqual(try YAML.parse("just text"), YAMLNode(.scalar("just text", quoted: false), line: 1, column: 1))
    }

    func testSyntaxErrorsNameTheLine() {
        func error(_ text: String) -> YAMLError? {
            do { _ = try YAML.parse(text); return nil } catch { return error as? YAMLError }
        }
        let colon = error("a: 1\nb: c: d\n")
        XCTAssertEqual(colon?.line, 2)
        XCTAssertEqual(colon?.column, 5)
        XCTAssertTrue(colon?.problem.contains("':'") ?? false)

        XCTAssertEqual(error("a:\n  b: 1\n c: 2\n")?.line, 3)
        XCTAssertEqual(error("a: 1\n\tb: 2\n")?.line, 2)
        XCTAssertEqual(error("x: 1\ny: \"open\nz: 2\n")?.line, 2, "an unclosed quote is reported where it opens")
        XCTAssertEqual(error("roles:\n  text: { fg: red\n  muted: {}\n")?.line, 3)

        let description = error("a: 1\nb: c: d\n")?.description ?? ""
        XCTAssertTrue(description.hasPrefix("Line 2, column 5: A ':'"), description)
        XCTAssertTrue(description.hasSuffix("."))
    }

    func testStructuralRefusals() {
        func error(_ text: String) -> YAMLError? {
            do { _ = try YAML.parse(text); return nil } catch { return error as? YAMLError }
        }
        let alias = error("base: &b 1\ncopy: *b\n")
        XCTAssertEqual(alias?.line, 2)
        XCTAssertTrue(alias?.problem.contains("*b") ?? false)

        let duplicate = error("a: 1\nb: 2\na: 3\n")
        XCTAssertEqual(duplicate?.line, 3)
        XCTAssertTrue(duplicate?.problem.contains("line 1") ?? false)

        XCTAssertEqual(error("a: 1\n---\nb: 2\n")?.line, 2)
        XCTAssertEqual(error("? [a]\n: 1\n")?.line, 1)
    }

    func testNestingIsBoundedWithASentenceAndNeverRecurses() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        var node = try XCTUnwrap(YAML.parse(nested(64)))
        var levels = 1
        while let inner = node.items?.first { node = inner; levels += 1 }
        XCTAssertEqual(levels, 64)
        // A hostile clouds.yaml 40,000 levels deep is refused at the 65th level, where it goes too deep.
        for depth in [65, 2_000, 40_000] {
            XCTAssertThrowsError(try YAML.parse(nested(depth))) { error in
                let yaml = error as? YAMLError
                XCTAssertEqual(yaml?.line, 1)
                XCTAssertEqual(yaml?.column, 65)
                XCTAssertTrue(yaml?.problem.contains("nested more than 64 levels") ?? false, "\(error)")
            }
        }
    }
}
