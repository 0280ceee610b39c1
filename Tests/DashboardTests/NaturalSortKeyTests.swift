import XCTest
@testable import Dashboard

/// Sort keys computed once per row must order exactly as comparing the names pairwise did.
final class NaturalSortKeyTests: XCTestCase {
    /// The pairwise comparison the keys replaced, kept here as the reference.
    private func referenceLess(_ lhs: String, _ rhs: String) -> Bool {
        var a = lhs.lowercased().unicodeScalars.makeIterator()
        var b = rhs.lowercased().unicodeScalars.makeIterator()
        var ca = a.next(), cb = b.next()
        while let x = ca, let y = cb {
            if x.properties.numericType != nil, y.properties.numericType != nil,
               let dx = Int(String(x)), let dy = Int(String(y)) {
                var nx = dx, ny = dy
                ca = a.next(); cb = b.next()
                while let c = ca, let d = Int(String(c)) { nx = nx &* 10 &+ d; ca = a.next() }
                while let c = cb, let d = Int(String(c)) { ny = ny &* 10 &+ d; cb = b.next() }
                if nx != ny { return nx < ny }
                continue
            }
            if x != y { return x.value < y.value }
            ca = a.next(); cb = b.next()
        }
        return ca == nil && cb != nil
    }

    func testKeysOrderAsThePairwiseComparisonDid() {
        let pieces = ["web", "Web", "-", "0", "1", "2", "10", "007", "9", "a", "Z", "é", "İ", "٣", "½", " ", "日本", "🙂", ""]
        var generator = SystemRandomNumberGenerator()
        var names: [String] = ["", "web-2", "web-10", "web-01", "db primary", "Ünïcødé-büild", "99999999999999999999"]
        for _ in 0..<400 {
            names.append((0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for a in names {
            for b in names.prefix(120) {
                XCTAssertEqual(a.naturalSortKey.lexicographicallyPrecedes(b.naturalSortKey), referenceLess(a, b),
                               "\"\(a)\" before \"\(b)\"")
            }
        }
    }
}
