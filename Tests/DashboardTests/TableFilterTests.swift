import XCTest
import StacktopModel
@testable import Dashboard

/// Filtering narrows what is shown as the needle grows, widens again on backspace, and always keeps
/// exactly the rows a fresh filter of the whole table keeps, in sort order.
final class TableFilterTests: XCTestCase {
    private let names = ["web-10", "web-2", "db-1", "Ünïcødé-web", "WEB-3", "cache", "web-1", "mail-web-9", "e\u{301}cole"]

    private func model() -> TableModel {
        var model = TableModel(table: "instances", sortColumn: 0)
        model.setRows(names.enumerated().map { TableRow.make(id: "id-\($0.offset)", [.text($0.element)]) })
        return model
    }

    private func shown(_ model: TableModel) -> [String] { model.visible.map { model.rows[$0].id } }

    func testEveryPrefixOfATypedFilterMatchesAFreshFilter() {
        var typed = model()
        for filter in ["w", "we", "web", "web-", "web-1", "web-", "we", "", "!web", "!we", "!", "ü", "üni", "é", "É"] {
            typed.setFilter(filter)
            var fresh = model()
            fresh.setFilter(filter)
            XCTAssertEqual(shown(typed), shown(fresh), "filter \"\(filter)\"")
        }
    }

    func testTheFilterIsCaseInsensitiveAndKeepsTheSortOrder() {
        var model = model()
        model.setFilter("WEB-")
        XCTAssertEqual(model.visible.map { model.rows[$0].values[0] }, [.text("mail-web-9"), .text("web-1"), .text("web-2"),
                                                                          .text("WEB-3"), .text("web-10")])
        model.setFilter("!web")
        XCTAssertEqual(model.visible.map { model.rows[$0].values[0] }, [.text("cache"), .text("db-1"), .text("e\u{301}cole")])
    }

    func testANonASCIINeedleMatchesCanonicallyEquivalentText() {
        var model = model()
        model.setFilter("\u{e9}cole")  // precomposed é; the row has e + combining accent
        XCTAssertEqual(shown(model), ["id-8"])
    }
}
