import XCTest
import Dashboard
import StacktopServices
@testable import stacktop

/// The sentence a refused command line gets, or a failure naming what was accepted instead.
func usageError(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        let options = try OptionParser.parse(arguments)
        XCTFail("\(arguments) was accepted as \(options)", file: file, line: line)
        return nil
    } catch let error as UsageError {
        return error.description
    } catch {
        XCTFail("\(arguments) threw \(error), not a UsageError", file: file, line: line)
        return nil
    }
}

/// The global options, before any subcommand.
final class GlobalOptionTests: XCTestCase {
    func testNoArgumentsOpenTheDashboardWithTheDefaults() throws {
        let options = try OptionParser.parse([])
        XCTAssertEqual(options, Options())
        XCTAssertEqual(options.mode, .dashboard)
        XCTAssertFalse(options.demo || options.readOnly || options.wall)
        XCTAssertNil(options.connect)
        XCTAssertNil(options.osCloud)
        XCTAssertEqual(options.refreshSeconds, 2)
        XCTAssertEqual(options.consoleEscape, 0x1d, "Ctrl-], as in virsh console")
    }

    func testEveryFlagSetsItsOption() throws {
        let options = try OptionParser.parse([
            "--demo", "--connect", "qemu:///system", "--os-cloud", "prod", "--readonly", "--theme", "light",
            "--refresh", "5", "--state", "/tmp/s.sqlite3", "--timeout", "60", "--escape", "^O", "--ascii",
            "--no-color", "--rotate", "30", "--panels", "overview, instances", "--no-clock", "--confirm-quit",
        ])
        XCTAssertEqual(options.mode, .dashboard)
        XCTAssertTrue(options.demo)
        XCTAssertEqual(options.connect, "qemu:///system")
        XCTAssertEqual(options.osCloud, "prod")
        XCTAssertTrue(options.readOnly)
        XCTAssertFalse(options.wall, "--readonly alone is not the wall")
        XCTAssertEqual(options.theme, "light")
        XCTAssertEqual(options.refreshSeconds, 5)
        XCTAssertEqual(options.statePath, "/tmp/s.sqlite3")
        XCTAssertEqual(options.requestTimeout, 60)
        XCTAssertEqual(options.consoleEscape, 0x0f)
        XCTAssertTrue(options.ascii)
        XCTAssertTrue(options.noColor)
        XCTAssertEqual(options.rotateSeconds, 30)
        XCTAssertEqual(options.wallPanels, ["overview", "instances"], "spaces around the commas are dropped")
        XCTAssertTrue(options.hideClock)
        XCTAssertTrue(options.confirmQuit)
    }

    func testShortAndInlineSpellings() throws {
        XCTAssertEqual(try OptionParser.parse(["-c", "qemu+ssh://root@host/system"]).connect, "qemu+ssh://root@host/system")
        XCTAssertEqual(try OptionParser.parse(["--connect=test:///default"]).connect, "test:///default")
        XCTAssertEqual(try OptionParser.parse(["--os-cloud=devstack"]).osCloud, "devstack")
        XCTAssertEqual(try OptionParser.parse(["--refresh=0.5"]).refreshSeconds, 0.5)
        XCTAssertTrue(try OptionParser.parse(["--read-only"]).readOnly)
        XCTAssertTrue(try OptionParser.parse(["--no-colour"]).noColor)
        XCTAssertEqual(try OptionParser.parse(["--theme", "-"]).theme, "-", "a lone dash is a value, not a flag")
    }

    func testMouseIsOnUnlessNoMouse() throws {
        XCTAssertFalse(try OptionParser.parse([]).noMouse)
        XCTAssertTrue(try OptionParser.parse(["--no-mouse"]).noMouse)
    }

    func testTheWallIsReadOnly() throws {
        let options = try OptionParser.parse(["--demo", "--wall"])
        XCTAssertTrue(options.wall)
        XCTAssertTrue(options.readOnly)
    }

    func testTheFleetTakesAnOptionalListOfContexts() throws {
        XCTAssertEqual(try OptionParser.parse(["--fleet"]).fleet, [], "alone: every context")
        XCTAssertEqual(try OptionParser.parse(["--fleet", "lab-a, lab-b,,prod"]).fleet, ["lab-a", "lab-b", "prod"])
        XCTAssertEqual(try OptionParser.parse(["--fleet=lab-a"]).fleet, ["lab-a"])
        let wall = try OptionParser.parse(["--fleet", "--wall"])
        XCTAssertEqual(wall.fleet, [], "a flag after --fleet is not its list")
        XCTAssertTrue(wall.wall)
        XCTAssertNil(try OptionParser.parse([]).fleet)
    }

    func testAFleetWithACommandIsRefusedByNameNotTakenAsItsList() {
        let refusal = "--fleet is for the dashboard and the wall; a command acts on one context (--context NAME)."
        XCTAssertEqual(usageError(["--fleet", "server", "list"]), refusal, "`server` is the command, not a context")
        XCTAssertEqual(usageError(["--fleet", "volumes", "list"]), refusal)
        XCTAssertEqual(usageError(["--fleet", "console", "web-01"]), refusal)
        XCTAssertEqual(usageError(["--fleet", "lab-a,lab-b", "server", "list"]), refusal)
        XCTAssertEqual(usageError(["--fleet", "--context", "lab-a"]),
                       "--fleet opens the contexts of config.yaml and clouds.yaml, so it goes without --context, "
                       + "--connect, --os-cloud and --demo; name the ones you want as --fleet A,B.")
    }

    func testHelpAndVersionEndTheParse() throws {
        XCTAssertEqual(try OptionParser.parse(["--help"]).mode, .help)
        XCTAssertEqual(try OptionParser.parse(["-h", "--not-an-option"]).mode, .help, "what follows --help is not read")
        XCTAssertEqual(try OptionParser.parse(["help"]).mode, .help)
        XCTAssertEqual(try OptionParser.parse(["-V"]).mode, .version)
        XCTAssertEqual(try OptionParser.parse(["--version", "--reset"]).mode, .version)
    }

    func testUnknownFlagsAreRefusedWithTheirName() {
        XCTAssertEqual(usageError(["--bogus"]), "Unknown option --bogus; see stacktop --help.")
        // The openstack CLI's spelling is --os-cloud; a near miss is refused, not guessed.
        XCTAssertEqual(usageError(["--cloud", "prod"]), "Unknown option --cloud; see stacktop --help.")
        XCTAssertEqual(usageError(["--demo", "-x"]), "Unknown option -x; see stacktop --help.")
    }

    func testAFlagThatNeedsAValueSaysSo() {
        XCTAssertEqual(usageError(["--connect"]), "--connect needs a value; see stacktop --help.")
        XCTAssertEqual(usageError(["--connect", "--demo"]), "--connect needs a value; see stacktop --help.",
                       "the next flag is not taken as the URI")
        XCTAssertEqual(usageError(["--os-cloud"]), "--os-cloud needs a value; see stacktop --help.")
        XCTAssertEqual(usageError(["--state", "-c", "x"]), "--state needs a value; see stacktop --help.")
    }

    func testNumbersAreCheckedAgainstTheirRange() throws {
        XCTAssertEqual(usageError(["--refresh", "0.1"]), "--refresh takes seconds between 0.2 and 3600, not \"0.1\".")
        XCTAssertEqual(usageError(["--refresh", "soon"]), "--refresh takes seconds between 0.2 and 3600, not \"soon\".")
        XCTAssertEqual(usageError(["--refresh", "3601"]), "--refresh takes seconds between 0.2 and 3600, not \"3601\".")
        XCTAssertEqual(try OptionParser.parse(["--refresh", "0.2"]).refreshSeconds, 0.2)
        XCTAssertEqual(try OptionParser.parse(["--refresh", "3600"]).refreshSeconds, 3600)

        for bad in ["0", "-1", "nan", "inf", "3600.5"] {
            XCTAssertEqual(usageError(["--timeout=" + bad]), "--timeout takes seconds between 0 and 3600, not \"\(bad)\".")
        }
        XCTAssertEqual(usageError(["--timeout", "-1"]), "--timeout needs a value; see stacktop --help.",
                       "a separate word starting with - is the next flag")
        XCTAssertEqual(try OptionParser.parse(["--timeout", "0.5"]).requestTimeout, 0.5)

        XCTAssertEqual(usageError(["--rotate", "0.5"]), "--rotate takes seconds between 1 and 86400, not \"0.5\".")
        XCTAssertEqual(try OptionParser.parse(["--rotate", "86400"]).rotateSeconds, 86400)
    }

    func testTheConsoleEscapeIsOneCharacterOrACaretPair() throws {
        XCTAssertEqual(try OptionParser.parse(["--escape", "^]"]).consoleEscape, 0x1d)
        XCTAssertEqual(try OptionParser.parse(["--escape", "^o"]).consoleEscape, 0x0f, "the letter's case does not matter")
        XCTAssertEqual(try OptionParser.parse(["--escape", "~"]).consoleEscape, UInt8(ascii: "~"))
        for bad in ["ab", "^1", "é", ""] {
            XCTAssertEqual(usageError(["--escape", bad]),
                           "--escape takes one character or ^X (e.g. ^] or ^O), not \"\(bad)\".")
        }
    }

    func testResetOnlyGoesWithAWritableDemo() throws {
        XCTAssertTrue(try OptionParser.parse(["--demo", "--reset"]).resetDemo)
        XCTAssertEqual(usageError(["--reset"]),
                       "--reset starts the demo cloud afresh; use it with --demo (stacktop --demo --reset).")
        XCTAssertEqual(usageError(["--demo", "--reset", "--readonly"]),
                       "--reset deletes the demo's saved changes, which --readonly and --wall never do; "
                       + "run stacktop --demo --reset without them first.")
        XCTAssertNotNil(usageError(["--demo", "--wall", "--reset"]), "the wall is read-only too")
        XCTAssertEqual(try OptionParser.parse(["--reset", "--help"]).mode, .help, "asking for help is never refused")
    }

    /// The help lists the options; each one it lists must be one the parser knows.
    func testEveryOptionTheHelpListsIsKnown() throws {
        let section = try XCTUnwrap(OptionParser.usage.components(separatedBy: "Options:").last?
            .components(separatedBy: "\n\n").first)
        let flags = section.split(separator: "\n").flatMap { line in
            line.split(separator: " ").filter { $0.hasPrefix("-") }.map { String($0.trimmingCharacters(in: [",", ":", ";"])) }
        }.filter { $0.count > 1 }
        XCTAssertGreaterThan(flags.count, 20, "\(flags)")
        for flag in Set(flags) {
            do {
                _ = try OptionParser.parse([flag])
            } catch let error as UsageError {
                XCTAssertFalse(error.description.hasPrefix("Unknown option"), "\(flag): \(error)")
            }
        }
    }
}

/// A switch with a value glued on is refused, not read as "on" whatever the value said.
final class SwitchValueTests: XCTestCase {
    func testASwitchTakesNoValue() throws {
        XCTAssertEqual(usageError(["--readonly=no"]),
                       "--readonly is a switch and takes no value; leave out \"=no\" (or the whole switch).")
        XCTAssertEqual(usageError(["--wall=no"])?.hasPrefix("--wall is a switch"), true)
        XCTAssertEqual(usageError(["server", "list", "--demo=false"])?.hasPrefix("--demo is a switch"), true)
        XCTAssertEqual(usageError(["server", "stop", "web-01", "--readonly=0"])?.hasPrefix("--readonly is a switch"), true)
        XCTAssertTrue(try OptionParser.parse(["--readonly"]).readOnly)
    }
}
