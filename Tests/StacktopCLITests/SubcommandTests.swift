import XCTest
import Dashboard
import StacktopServices
@testable import stacktop

/// What follows the global options: `KIND list`, `KIND ACTION`, `render`, `bench`, `console`, `vnc`.
final class SubcommandTests: XCTestCase {
    func testListTakesFormatAndColumnsWithCAsAColumnThere() throws {
        let options = try OptionParser.parse(["-c", "qemu:///system", "server", "list", "-f", "json", "-c", "name",
                                              "--column=state"])
        XCTAssertEqual(options.connect, "qemu:///system", "before the subcommand -c is the connection")
        XCTAssertEqual(options.mode, .list(kind: "server", format: .json, columns: ["name", "state"]))
        XCTAssertEqual(try OptionParser.parse(["volume", "list"]).mode, .list(kind: "volume", format: .table, columns: []))
    }

    func testShowTakesANameAndAFormat() throws {
        XCTAssertEqual(try OptionParser.parse(["server", "show", "db primary", "-f", "json", "--demo"]).mode,
                       .show(kind: "server", name: "db primary", format: .json))
        XCTAssertEqual(try OptionParser.parse(["image", "show", "debian-12"]).mode,
                       .show(kind: "image", name: "debian-12", format: .table))
        XCTAssertEqual(usageError(["server", "show", "web-01", "-c", "name"]),
                       "`server show` takes -f FORMAT, not -c: it shows every field.")
        XCTAssertEqual(usageError(["server", "show"]), "`server show` needs a name or ID, for example `stacktop server show web-01`.")
    }

    func testGlobalOptionsMayFollowAList() throws {
        let options = try OptionParser.parse(["image", "list", "--format=csv", "--demo", "--readonly", "--state", "s",
                                              "--os-cloud", "prod", "--timeout", "9", "--connect", "test:///default"])
        XCTAssertEqual(options.mode, .list(kind: "image", format: .csv, columns: []))
        XCTAssertTrue(options.demo && options.readOnly)
        XCTAssertEqual(options.statePath, "s")
        XCTAssertEqual(options.osCloud, "prod")
        XCTAssertEqual(options.requestTimeout, 9)
        XCTAssertEqual(options.connect, "test:///default")
    }

    func testListRefusesWhatItDoesNotTake() {
        XCTAssertEqual(usageError(["server", "list", "-f", "yaml"]), "Unknown format \"yaml\"; use table, json, csv or value.")
        XCTAssertEqual(usageError(["server", "list", "--long"]),
                       "Unknown option --long for `server list`; use -f FORMAT and -c COLUMN.")
        XCTAssertEqual(usageError(["server", "list", "-c"]), "-c needs a value.")
        // The same words after an action and after `console`: a value glued on with `=`, else the next word.
        XCTAssertEqual(usageError(["server", "stop", "web-01", "--connect"]), "--connect needs a value.")
        XCTAssertEqual(usageError(["console", "web-01", "--escape"]), "--escape needs a value.")
        XCTAssertEqual(try OptionParser.parse(["server", "list", "--os-cloud=lab"]).osCloud, "lab")
        XCTAssertEqual(usageError(["server", "list", "--timeout", "0"]),
                       "--timeout takes seconds between 0 and 3600, not \"0\".")
        XCTAssertEqual(usageError(["server"]), "\"server\" needs an action, for example `stacktop server list`.")
    }

    func testAnActionIsParsedByTheSharedGrammarWithGlobalOptionsTakenOut() throws {
        let options = try OptionParser.parse(["server", "stop", "web-01", "--connect", "qemu:///system", "--readonly"])
        XCTAssertEqual(options.connect, "qemu:///system")
        XCTAssertTrue(options.readOnly)
        guard case .action(let command) = options.mode else { return XCTFail("\(options.mode)") }
        XCTAssertEqual(command.request.action, .stop)
        XCTAssertEqual(command.request.kind, .instance)
        XCTAssertEqual(command.request.targets, ["web-01"])
        XCTAssertFalse(command.confirmed)

        guard case .action(let delete) = try OptionParser.parse(["server", "delete", "web-01", "--yes"]).mode else {
            return XCTFail("delete is an action")
        }
        XCTAssertTrue(delete.confirmed, "--yes answers the question up front")
    }

    func testAfterDoubleDashEveryWordIsAName() throws {
        let options = try OptionParser.parse(["server", "delete", "--", "--demo", "--connect"])
        XCTAssertFalse(options.demo, "--demo after -- names a server")
        XCTAssertNil(options.connect)
        guard case .action(let command) = options.mode else { return XCTFail("\(options.mode)") }
        XCTAssertEqual(command.request.targets, ["--demo", "--connect"])
    }

    /// An action's refusals are the grammar's own sentences, whoever typed them.
    func testAnActionsRefusalIsTheGrammarsSentence() throws {
        for words in [["server", "stop", "web-01", "--bogus"], ["server", "stop"], ["toaster", "stop", "x"],
                      ["server", "explode", "x"], ["volume", "create", "data", "--size", "lots"]] {
            let sentence: String
            do {
                _ = try ActionCommand.parse(words)
                XCTFail("\(words) parsed")
                continue
            } catch {
                sentence = error.description
            }
            XCTAssertEqual(usageError(words), sentence)
        }
        XCTAssertTrue(usageError(["server", "stop", "web-01", "--bogus"])?.contains("--bogus") ?? false)
    }

    func testAnActionsHelpListsItsOptions() throws {
        guard case .actionHelp(let text) = try OptionParser.parse(["volume", "create", "--help"]).mode else {
            return XCTFail("volume create --help is the action's help")
        }
        XCTAssertEqual(text, ActionSchema.help(for: .volume, .create))
        XCTAssertTrue(text.contains("--size"), text)
    }

    func testRenderTakesItsViewSizeFormatAndFile() throws {
        XCTAssertEqual(try OptionParser.parse(["render", "overview"]).mode,
                       .render(view: "overview", size: "120x40", format: "txt", output: nil))
        XCTAssertEqual(try OptionParser.parse(["--theme", "mono", "render", "wall", "--size=80x24", "-f", "svg",
                                               "-o", "wall.svg"]).mode,
                       .render(view: "wall", size: "80x24", format: "svg", output: "wall.svg"))
        XCTAssertTrue(usageError(["render"])?.hasPrefix("render needs a view") ?? false)
        XCTAssertEqual(usageError(["render", "overview", "--theme", "mono"]),
                       "Unknown option --theme for render; use --size, --format, -o (and --theme before `render`).")
        XCTAssertEqual(usageError(["render", "overview", "-o"]), "-o needs a value.")
    }

    func testBenchTakesSizesKeysRoundsAndQuick() throws {
        XCTAssertEqual(try OptionParser.parse(["bench"]).mode, .bench(BenchSettings()))
        var sized = BenchSettings()
        sized.sizes = [5, 70]
        XCTAssertEqual(try OptionParser.parse(["bench", "--sizes", "5,70"]).mode, .bench(sized))
        XCTAssertEqual(try OptionParser.parse(["bench", "--instances=5,70"]).mode, .bench(sized), "the old spelling")
        guard case .bench(let quick) = try OptionParser.parse(["bench", "--quick", "--keys", "20"]).mode else {
            return XCTFail("not a bench")
        }
        XCTAssertEqual(quick.sizes, [1000])
        XCTAssertEqual(quick.keys, 20, "an explicit count beats --quick's")
        XCTAssertEqual(usageError(["bench", "--sizes", "0"]),
                       "--sizes takes domain counts up to 100000, like 1000,10000, not \"0\".")
        XCTAssertEqual(usageError(["bench", "--keys", "many"])?.hasPrefix("--keys"), true)
        XCTAssertEqual(usageError(["bench", "--fast"]), "Unknown option --fast for bench; see stacktop bench --help.")
        XCTAssertEqual(usageError(["bench", "--keys"]), "--keys needs a value; see stacktop bench --help.")
    }
}

final class ConsoleOptionTests: XCTestCase {
    func testConsoleTakesForceAndEscapeInAnyOrder() throws {
        XCTAssertEqual(try OptionParser.parse(["console", "web-01"]).mode,
                       .console(instance: "web-01", force: false, escape: 0x1d))
        XCTAssertEqual(try OptionParser.parse(["console", "--escape=^O", "web-01", "--force"]).mode,
                       .console(instance: "web-01", force: true, escape: 0x0f))
        XCTAssertEqual(usageError(["console", "web-01", "--escape", "ab"]),
                       "--escape takes one character or ^X (e.g. ^] or ^O), not \"ab\".")
    }

    func testVNCTakesShowPassword() throws {
        XCTAssertEqual(try OptionParser.parse(["vnc", "web-01"]).mode, .vnc(instance: "web-01", showPassword: false))
        XCTAssertEqual(try OptionParser.parse(["vnc", "--show-password", "db primary"]).mode,
                       .vnc(instance: "db primary", showPassword: true))
    }

    func testEachTakesOnlyItsOwnFlags() {
        XCTAssertEqual(usageError(["vnc", "web-01", "--force"]), "Unknown option --force for `vnc`; see stacktop --help.")
        XCTAssertEqual(usageError(["console", "web-01", "--show-password"]),
                       "Unknown option --show-password for `console`; see stacktop --help.")
    }

    func testGlobalOptionsMayFollowTheName() throws {
        let options = try OptionParser.parse(["console", "web-01", "-c", "qemu:///system", "--read-only", "--state=s"])
        XCTAssertEqual(options.mode, .console(instance: "web-01", force: false, escape: 0x1d))
        XCTAssertEqual(options.connect, "qemu:///system")
        XCTAssertTrue(options.readOnly)
        XCTAssertEqual(options.statePath, "s")
    }

    func testExactlyOneInstanceIsNamed() {
        XCTAssertEqual(usageError(["console"]), "`console` needs an instance name, e.g. `stacktop console web-01`.")
        XCTAssertEqual(usageError(["vnc", "--show-password"]), "`vnc` needs an instance name, e.g. `stacktop vnc web-01`.")
        XCTAssertEqual(usageError(["console", "web-01", "web-02"]), "`console` takes one instance name, not also \"web-02\".")
        XCTAssertEqual(usageError(["console", "web-01", "--connect"]), "--connect needs a value.")
    }
}

/// `--wall --panels … --rotate …` into the wall's settings.
final class WallOptionTests: XCTestCase {
    private func settings(_ arguments: [String]) throws -> WallSettings? {
        try WallOptions.settings(from: OptionParser.parse(arguments))
    }

    func testNoWallNoSettings() throws {
        XCTAssertNil(try settings(["--demo", "--panels", "instances", "--rotate", "5"]))
    }

    func testTheWallShowsTheOverviewAloneByDefault() throws {
        let wall = try XCTUnwrap(settings(["--wall"]))
        XCTAssertEqual(wall.panels, [.overview])
        XCTAssertNil(wall.rotateSeconds, "one panel does not rotate")
        XCTAssertFalse(wall.hideClock)
        XCTAssertFalse(wall.confirmQuit)
    }

    func testSeveralPanelsRotateAtAReadablePaceUnlessTold() throws {
        let wall = try XCTUnwrap(settings(["--wall", "--panels", "overview,Instances,,vol", "--no-clock", "--confirm-quit"]))
        XCTAssertEqual(wall.panels, [.overview, .instances, .volumes], "names as `:` takes them, any case; empty ones skipped")
        XCTAssertEqual(wall.rotateSeconds, WallOptions.defaultRotateSeconds)
        XCTAssertEqual(WallOptions.defaultRotateSeconds, 15)
        XCTAssertTrue(wall.hideClock)
        XCTAssertTrue(wall.confirmQuit)
        XCTAssertEqual(try XCTUnwrap(settings(["--wall", "--panels", "overview,hosts", "--rotate", "40"])).rotateSeconds, 40)
        XCTAssertEqual(try XCTUnwrap(settings(["--wall", "--panels", "instances", "--rotate", "8"])).rotateSeconds, 8,
                       "one panel rotates when asked (it comes back to itself)")
    }

    func testAnUnknownPanelIsRefusedNamingTheKnownOnes() throws {
        let options = try OptionParser.parse(["--wall", "--panels", "overview,toasters"])
        XCTAssertThrowsError(try WallOptions.settings(from: options)) { error in
            let sentence = (error as? UsageError)?.description ?? "\(error)"
            XCTAssertTrue(sentence.hasPrefix("--panels does not know \"toasters\"; use a comma-separated list of "),
                          sentence)
            for panel in Panel.allCases { XCTAssertTrue(sentence.contains(panel.commandAliases[0]), sentence) }
        }
    }
}
