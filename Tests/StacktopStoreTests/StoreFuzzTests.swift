import Foundation
import XCTest
import StoreTestSupport
import FuzzSupport
import StacktopModel
import StacktopServices
@testable import StacktopStore

/// Fuzzing ships with the tests (DECISIONS.md): hostile values written straight into every table of a real
/// store (REAL 1e300 and NaN, 2^63-1 and -2^63, text and blobs where integers belong, control characters,
/// a mutated snapshot blob), then every kind read back through StateStore's public API. No row may trap;
/// each refusal is one sentence. `STACKTOP_FUZZ_LONG=1` tries 50 times as many rows.
final class StoreFuzzTests: XCTestCase {
    /// Each table with the columns a hostile row fills.
    private static let tables: [(name: String, columns: [String])] = [
        ("projects", ["id", "name", "description", "enabled"]),
        ("flavors", ["id", "name", "vcpus", "ram_mib", "disk_gib", "is_public"]),
        ("keypairs", ["name", "fingerprint", "public_key", "type", "project", "created_at"]),
        ("security_groups", ["id", "name", "description", "project"]),
        ("security_group_rules", ["id", "group_id", "position", "direction", "ethertype", "protocol", "port_min",
                                  "port_max", "remote_cidr", "remote_group"]),
        ("quota_defaults", ["resource", "hard_limit"]),
        ("quotas", ["project", "resource", "hard_limit"]),
        ("image_metadata", ["path", "name", "os", "min_disk_gib", "min_ram_mib", "visibility", "project", "created_at"]),
        ("instance_ownership", ["uuid", "project", "flavor", "image", "keypair", "security_groups", "created_at", "locked"]),
        ("audit_log", ["time", "project", "action", "target", "result", "error", "request_ids"]),
        ("volume_ownership", ["path", "project"]),
        ("network_ownership", ["name", "project", "shared", "external"]),
        ("snapshot_cache", ["endpoint", "snapshot", "saved_at"]),
        ("volume_snapshots", ["id", "name", "volume_path", "size_bytes", "description", "project", "created_at"]),
    ]

    private static let hostile: [SQLiteValue] = [
        .integer(Int64.max), .integer(Int64.min), .integer(-1), .integer(0), .integer(1 << 53 + 1),
        .real(1e300), .real(-1e300), .real(.nan), .real(.infinity), .real(-.infinity), .real(0.5), .real(-0.5),
        .real(9.3e18), .real(-9.3e18), .real(1e-300),
        .text("12"), .text(""), .text("9223372036854775808"), .text("1e300"), .text("not a number"), .text("NaN"),
        .text("\u{1b}[2J\u{7}\r\u{0}"), .text(String(repeating: "x", count: 70_000)), .text("[\"a\", 1, null]"),
        .text("ingress"), .text("egress"), .text("default"), .text("{}"), .text("[1e300]"),
        .blob([0xFF, 0xFE, 0x00, 0x1B]), .blob([]), .blob(Array("[\"a\"]".utf8)), .null,
    ]

    private static let snapshotSeed: [UInt8] = {
        let snapshot = sampleSnapshot(takenAt: Date(timeIntervalSince1970: 1_700_000_000))
        return Array((try? JSONEncoder().encode(snapshot)) ?? Data("{}".utf8))
    }()

    func testHostileRowsReadBackWithoutATrap() throws {
        let store = try makeStore(self)
        var mutator = Mutator(seed: 0x5709_E001)
        var written = 0, reads = 0
        let count = Fuzz.count(300)
        for index in 0..<count {
            if index % 25 == 0 { try clear(store) }
            let table = Self.tables[index % Self.tables.count]
            var values: [SQLiteValue] = []
            for column in table.columns {
                switch mutator.below(4) {
                case 0: values.append(plausible(column, index: index))
                default: values.append(mutator.pick(Self.hostile))
                }
            }
            if table.name == "snapshot_cache" {
                values[0] = .text("test:///fuzz")
                values[1] = .blob(mutator.mutate(Self.snapshotSeed, as: .json))
            }
            Fuzz.trace(Array("\(table.name): \(values)".utf8))
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            let sql = "INSERT OR REPLACE INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(placeholders))"
            do {
                try store.withDatabase { db in
                    try db.execute("PRAGMA foreign_keys = OFF")
                    try db.prepare(sql).bind(values).run()
                }
                written += 1
            } catch {
                // NOT NULL and CHECK constraints refuse some rows; that is SQLite's business, not a read.
            }
            reads += try readEverything(store, input: "\(table.name): \(values)")
        }
        print("store: \(count) hostile rows tried, \(written) written, \(reads) reads through the public API")
    }

    private func plausible(_ column: String, index: Int) -> SQLiteValue {
        switch column {
        case "direction": .text("ingress")
        case "resource": .text(["cores", "instances", "ram", "gigabytes"][index % 4])
        case "project": .text("web")
        case "result": .text("succeeded")
        case "request_ids", "security_groups": .text("[\"req-1\"]")
        default: .text("\(column)-\(index)")
        }
    }

    private func clear(_ store: StateStore) throws {
        try store.withDatabase { db in
            for table in Self.tables { try db.execute("DELETE FROM \(table.name)") }
        }
    }

    /// Every kind the store offers, read through its public API; returns how many reads ran.
    private func readEverything(_ store: StateStore, input: String) throws -> Int {
        let reads: [(String, () throws -> Void)] = [
            ("projects", { _ = try store.projects() }),
            ("flavors", { _ = try store.flavors() }),
            ("keypairs", { _ = try store.keypairs() }),
            ("securityGroups", { _ = try store.securityGroups() }),
            ("imageMetadata", { _ = try store.imageMetadata() }),
            ("instanceOwnerships", { _ = try store.instanceOwnerships() }),
            ("volumeOwners", { _ = try store.volumeOwners() }),
            ("volumeSnapshotRecords", { _ = try store.volumeSnapshotRecords() }),
            ("networkOwnerships", { _ = try store.networkOwnerships() }),
            ("quotaDefaults", { _ = try store.quotaDefaults() }),
            ("quotaLimits", { _ = try store.quotaLimits(project: "web") }),
            ("localData", { _ = try store.localData() }),
            ("auditLog", { _ = try store.auditLog(limit: 50).map(\.record) }),
            ("loadSnapshot", { _ = try store.loadSnapshot(for: "test:///fuzz") }),
            ("snapshotSavedAt", { _ = try store.snapshotSavedAt(for: "test:///fuzz") }),
        ]
        for (name, read) in reads {
            do { try read() } catch {
                if let problem = Fuzz.sentenceProblem("\(error)") {
                    XCTFail("StateStore.\(name) refused, but \(problem): \(error)\nrow: \(input.prefix(600))")
                }
            }
        }
        return reads.count
    }
}
