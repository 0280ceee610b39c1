import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices
import SystemTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A live Keystone token must never land where someone else planted a file or a link.
final class TokenCacheSafetyTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws { root = try makeTemporaryDirectory(self) }

    private let credentials = KeystoneSessionTests.credentials()

    func testATokensDirectoryOthersCanReadOrALinkIsNotUsed() throws {
        let open = root + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        TokenCache(directory: open).save(subject: "tok", body: Data("{}".utf8), for: credentials)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: open), [], "nothing written to a 0755 directory")

        let elsewhere = root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        XCTAssertEqual(symlink(elsewhere, root + "/linked"), 0)
        TokenCache(directory: root + "/linked").save(subject: "tok", body: Data("{}".utf8), for: credentials)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "nothing written through a link")
    }

    func testAPlantedLinkAtTheTokenPathIsReplacedNotFollowedAndNotRead() throws {
        let directory = root + "/tokens"
        let cache = TokenCache(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = try XCTUnwrap(cache.path(for: credentials))
        let victim = root + "/victim"
        try Data("secret of someone else\n{}".utf8).write(to: URL(fileURLWithPath: victim))
        chmod(victim, 0o600)
        XCTAssertEqual(symlink(victim, path), 0)
        XCTAssertNil(cache.load(for: credentials), "a link is not read as a token")
        // The old predictable temporary name, planted as a link, receives nothing either.
        XCTAssertEqual(symlink(victim, path + ".\(getpid()).tmp"), 0)
        cache.save(subject: "tok-live", body: Data("{}".utf8), for: credentials)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "secret of someone else\n{}")
        XCTAssertEqual(cache.load(for: credentials)?.subject, "tok-live")
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "the link was replaced by a private file")
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    func testAnUnsafeTokensDirectoryIsSaidInASentence() throws {
        XCTAssertNil(TokenCache(directory: root + "/not-yet").problem, "made private when the first token is saved")
        let open = root + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let problem = try XCTUnwrap(TokenCache(directory: open).problem)
        XCTAssertTrue(problem.hasPrefix("The token cache \(open) is not a private directory") && problem.hasSuffix("."), problem)
        chmod(open, 0o700)
        XCTAssertNil(TokenCache(directory: open).problem)
    }
}
