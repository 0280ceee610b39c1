import XCTest
import Foundation
import TerminalUI

final class ThemeLoaderTests: XCTestCase {
    /// themes/ at the repository root, found from this file's path.
    static let themesDirectory: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Tests/TerminalUITests/ThemeLoaderTests.swift
        return components.joined(separator: "/") + "/themes"
    }()

    private var temporaryDirectory: String!

    override func setUpWithError() throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-themes-XXXXXX").path
        var bytes = Array(template.utf8CString)
        let created = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        temporaryDirectory = String(cString: try XCTUnwrap(created))
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: temporaryDirectory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = temporaryDirectory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func loadError(_ nameOrPath: String, directories: [String] = []) -> ThemeError? {
        do {
            _ = try ThemeLoader.load(nameOrPath: nameOrPath, searchDirectories: directories)
            return nil
        } catch {
            return error as? ThemeError
        }
    }

    // MARK: shipped theme files

    func testDefaultFileEqualsTheBuiltInThemeRoleByRole() throws {
        let theme = try ThemeLoader.load(nameOrPath: Self.themesDirectory + "/default.yaml", searchDirectories: [])
        for role in ThemeRole.allCases {
            XCTAssertEqual(theme.styles[role], Theme.builtIn.styles[role], "role \(role.rawValue)")
        }
        XCTAssertEqual(theme, Theme.builtIn)
    }

    func testEveryShippedThemeLoadsAndDefinesEveryRole() throws {
        let names = ThemeLoader.availableThemes(in: [Self.themesDirectory])
        XCTAssertEqual(names, ["default", "high-contrast", "light", "mono"])
        for name in names {
            let path = Self.themesDirectory + "/\(name).yaml"
            let text = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            let theme = try ThemeLoader.load(nameOrPath: name, searchDirectories: [Self.themesDirectory])
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.styles.keys), Set(ThemeRole.allCases))
            for role in ThemeRole.allCases {
                // Present in the file itself, not inherited from the built-in theme.
                XCTAssertTrue(text.contains("\n  \(role.rawValue):"), "\(name).yaml does not define \(role.rawValue)")
            }
        }
    }

    func testMonoThemeHasNoColoursAndKeepsSelectionVisible() throws {
        let mono = try ThemeLoader.load(nameOrPath: "mono", searchDirectories: [Self.themesDirectory])
        for (role, style) in mono.styles {
            XCTAssertEqual(style.foreground, .default, role.rawValue)
            XCTAssertEqual(style.background, .default, role.rawValue)
        }
        XCTAssertTrue(mono[.selection].reverse)
    }

    func testHighContrastSelectionIsReverseVideo() throws {
        let theme = try ThemeLoader.load(nameOrPath: "high-contrast", searchDirectories: [Self.themesDirectory])
        XCTAssertTrue(theme[.selection].reverse)
        XCTAssertTrue(theme[.header].bold)
    }

    // MARK: format

    func testColoursAttributesAndFallbackToBuiltIn() throws {
        let theme = try ThemeLoader.parse("""
        name: custom
        roles:
          text: { fg: "#5FD75F", bg: 17 }
          selection: { fg: Bright-Red, bg: grey, underline: yes, reverse: true, dim: on }
          muted:
        """, name: "ignored", file: "custom.yaml")
        XCTAssertEqual(theme.name, "custom")
        XCTAssertEqual(theme[.text], Style(foreground: .rgb(0x5F, 0xD7, 0x5F), background: .indexed(17)))
        XCTAssertEqual(theme[.selection], Style(foreground: .brightRed, background: .brightBlack,
                                                underline: true, reverse: true, dim: true))
        XCTAssertEqual(theme[.muted], Style(), "a listed role with no value is plain")
        XCTAssertEqual(theme.styles[.title], Theme.builtIn[.title], "unlisted roles keep the built-in style")
        XCTAssertEqual(try ThemeLoader.parse("roles: {}", name: "fromfile", file: "x.yaml").name, "fromfile")
    }

    func testExtendsTakesUnlistedRolesFromTheParent() throws {
        _ = try write("base.yaml", "roles:\n  title: { fg: red }\n  muted: { dim: true }\n")
        _ = try write("child.yaml", "extends: base\nroles:\n  title: { fg: blue }\n")
        let child = try ThemeLoader.load(nameOrPath: "child", searchDirectories: [temporaryDirectory])
        XCTAssertEqual(child[.title], Style(foreground: .blue))
        XCTAssertEqual(child[.muted], Style(dim: true))
        XCTAssertEqual(child[.selection], Theme.builtIn[.selection])

        _ = try write("loop-a.yaml", "extends: loop-b\n")
        _ = try write("loop-b.yaml", "extends: loop-a\n")
        XCTAssertTrue(loadError("loop-a", directories: [temporaryDirectory])?.problem.contains("loop") ?? false)

        _ = try write("orphan.yaml", "name: orphan\nextends: nowhere\n")
        let orphan = loadError("orphan", directories: [temporaryDirectory])
        XCTAssertEqual(orphan?.line, 2)
        XCTAssertTrue(orphan?.file?.hasSuffix("orphan.yaml") ?? false)
    }

    // MARK: lookup

    func testLookupByNameAndPath() throws {
        let first = temporaryDirectory + "/first"
        let second = temporaryDirectory + "/second"
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        _ = try write("first/ocean.yaml", "roles:\n  text: { fg: blue }\n")
        _ = try write("second/ocean.yaml", "roles:\n  text: { fg: green }\n")
        _ = try write("second/forest.yml", "roles:\n  text: { fg: green }\n")

        XCTAssertEqual(try ThemeLoader.load(nameOrPath: "ocean", searchDirectories: [first, second])[.text].foreground, .blue)
        XCTAssertEqual(try ThemeLoader.load(nameOrPath: "forest", searchDirectories: [first, second]).name, "forest")
        XCTAssertEqual(try ThemeLoader.load(nameOrPath: second + "/ocean.yaml", searchDirectories: [first]).name, "ocean")
        XCTAssertEqual(try ThemeLoader.load(nameOrPath: "default", searchDirectories: [first]), Theme.builtIn)
        XCTAssertEqual(ThemeLoader.availableThemes(in: [first, second, temporaryDirectory + "/missing"]),
                       ["default", "forest", "ocean"])

        let missing = loadError("bluish", directories: [first, second])
        XCTAssertNil(missing?.file)
        XCTAssertEqual(missing?.description,
                       "No theme named \"bluish\" was found in \(first), \(second) (available: default, forest, ocean); the current theme stays.")

        let noFile = loadError(temporaryDirectory + "/nope.yaml")
        XCTAssertEqual(noFile?.file, temporaryDirectory + "/nope.yaml")
        XCTAssertNil(noFile?.line)
    }

    // MARK: malformed files

    func testMalformedFilesGiveOneSentenceNamingFileAndLine() throws {
        let cases: [(file: String, text: String, expected: String)] = [
            ("colour.yaml", "name: x\nroles:\n  text: { fg: default }\n  selection: { fg: bluish }\n",
             "line 4: unknown colour \"bluish\" for role selection (use a colour name, 0-255 or #rrggbb); the current theme stays."),
            ("range.yaml", "roles:\n  text: { bg: 300 }\n",
             "line 2: colour 300 for role text is out of range (indexed colours are 0-255); the current theme stays."),
            ("role.yaml", "roles:\n  text: {}\n  selecton: { bold: true }\n",
             "line 3: unknown role \"selecton\" (did you mean selection?); the current theme stays."),
            ("attribute.yaml", "roles:\n  title:\n    fg: red\n    italic: true\n",
             "line 4: unknown key \"italic\" in role title (use fg, bg, bold, underline, reverse, dim); the current theme stays."),
            ("syntax.yaml", "name: x\nroles:\n  text: { fg: red\n  muted: {}\n",
             "line 4: the YAML is malformed: a { ... } mapping is not closed properly (separate entries with ',' and end it with '}'); the current theme stays."),
            ("empty.yaml", "# nothing but a comment\n",
             "line 1: the file is empty (a theme needs at least a 'roles:' mapping; copy themes/default.yaml to start); the current theme stays."),
            ("flag.yaml", "roles:\n  text:\n    bold: maybe\n",
             "line 3: bold in role text must be true or false, not \"maybe\"; the current theme stays."),
            ("type.yaml", "roles:\n  - text\n",
             "line 2: 'roles' must be a mapping from role names to styles, not a list; the current theme stays."),
            ("shape.yaml", "roles:\n  text: red\n",
             "line 2: role text must be a mapping such as { fg: black, bg: cyan, bold: true }, not a single value; the current theme stays."),
            ("hash.yaml", "roles:\n  text:\n    fg: #ff0000\n",
             "line 3: fg in role text has no value (write a colour; quote \"#rrggbb\" because a bare # starts a comment); the current theme stays."),
            ("flowhash.yaml", "roles:\n  text: { fg: #ff0000 }\n  muted: {}\n",
             "line 2: the YAML is malformed because a bare # starts a comment (write \"#ff0000\" in quotes); the current theme stays."),
            ("toplevel.yaml", "name: x\nrolse: {}\n",
             "line 2: unknown key \"rolse\" (did you mean roles?); the current theme stays."),
        ]
        for testCase in cases {
            let path = try write(testCase.file, testCase.text)
            let error = loadError(path)
            XCTAssertEqual(error?.description, "Theme file \(path), \(testCase.expected)", testCase.file)
        }
    }

    func testParseNamesTheGivenFileAndOffersAnotherEnding() {
        do {
            _ = try ThemeLoader.parse("roles:\n  text: { fg: [1, 2] }\n", name: "x", file: "themes/bad.yaml")
            XCTFail("a list is not a colour")
        } catch let error as ThemeError {
            XCTAssertEqual(error, ThemeError(file: "themes/bad.yaml", line: 2,
                                             problem: "fg in role text must be a colour, not a list"))
            XCTAssertEqual(error.sentence(consequence: "stacktop uses the built-in theme"),
                           "Theme file themes/bad.yaml, line 2: fg in role text must be a colour, not a list; stacktop uses the built-in theme.")
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testInvalidUTF8NamesTheLine() throws {
        let path = temporaryDirectory + "/binary.yaml"
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x78, 0x0A, 0x72, 0x3A, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        let error = loadError(path)
        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.problem.contains("UTF-8") ?? false)
    }
}
