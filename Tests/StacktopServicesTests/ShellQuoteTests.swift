import XCTest
import Foundation
@testable import StacktopServices
import SystemTestSupport

final class ShellQuoteTests: XCTestCase {
    /// The oracle is a real POSIX shell: each quoted word must come back as exactly one argument, unchanged.
    func testEveryWordSurvivesARealShellAsOneArgument() throws {
        let words = ["plain", "", "with space", "it's", "'; touch pwned; echo '", "$(id)", "`id`", "a\"b", "x\\y",
                     "5903:[::1]:5903", "*", "~root", "tab\there", "new\nline", "wss://h:6083/?token=a&b=c#f", "-n"]
        let line = "printf '%s\\0' " + words.map(ShellQuote.quote).joined(separator: " ")
        let shell = try ChildProcess.run(["/bin/sh", "-c", line], errors: .discarded)
        XCTAssertEqual(shell.status, 0)
        let back = shell.output.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        XCTAssertEqual(back, words)
    }

    func testSafeWordsStayReadable() {
        XCTAssertEqual(ShellQuote.quote("web-01"), "web-01")
        XCTAssertEqual(ShellQuote.quote("root@198.51.100.7"), "root@198.51.100.7")
        XCTAssertEqual(ShellQuote.quote("it's"), "'it'\\''s'")
    }
}

final class ActionCommandEndOfOptionsTests: XCTestCase {
    func testDoubleDashEndsOptionsAndIsNeverAName() throws {
        let named = try ActionCommand.parse(["server", "delete", "--yes", "--", "--yes", "-x"])
        XCTAssertEqual(named.request.targets, ["--yes", "-x"])
        XCTAssertTrue(named.confirmed)
        XCTAssertThrowsError(try ActionCommand.parse(["keypair", "delete", "--"])) { error in
            XCTAssertTrue("\(error)".contains("needs a name"), "\(error)")
        }
    }
}
