import Foundation
import StacktopServices

extension OpenStackClient {
    /// Reads a list to its end, following each page's `next` link. `limit` asks for small pages
    /// (tests force 1 or 2); nil leaves the page size to the service.
    func listAll<Item: Sendable>(_ service: ServiceType, _ path: String, query: [URLQueryItem] = [],
                                 headers: [String: String] = [:], limit: Int?, what: String,
                                 decode: (Data, HTTPResponse) throws -> OpenStackPage<Item>) async throws -> [Item] {
        var items: [Item] = []
        let base = try await session.baseURL(for: service)
        var firstQuery = query
        if let limit { firstQuery.append(URLQueryItem(name: "limit", value: String(limit))) }
        var url = try KeystoneSession.join(base, path: path, query: firstQuery)
        var seen: Set<String> = []
        while true {
            // A next link that never ends (a new marker on every page) is a broken service, not a long list.
            guard seen.count < Self.maximumPages else {
                throw BackendError.failed(what: what, reason: "the list went on for more than \(Self.maximumPages) pages "
                    + "(\(items.count) items) with a new next link each time, so stacktop stopped reading; the service's "
                    + "pagination is broken, report it to the cloud's operators")
            }
            seen.insert(url.absoluteString)
            let response = try await send(url: url, headers: headers, what: what)
            let page = try decode(response.body, response)
            items += page.items
            guard let next = page.next, !page.items.isEmpty,
                  let nextURL = Self.resolve(next: next, base: base), !seen.contains(nextURL.absoluteString) else {
                return items
            }
            url = nextURL
        }
    }

    /// Far beyond any real list (a million servers in pages of 1,000 is 1,000 pages).
    static let maximumPages = 10_000

    /// Nova, Cinder, Neutron and Keystone give absolute links; Glance gives "/v2/images?marker=…",
    /// which is relative to the image endpoint (that may itself sit under a path, behind a proxy).
    static func resolve(next: String, base: URL) -> URL? {
        if next.hasPrefix("http://") || next.hasPrefix("https://") { return URL(string: next) }
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        // The endpoint may already end with the version the link starts with ("…/v2" + "/v2/images").
        if let firstSegment = next.split(separator: "/").first, root.hasSuffix("/" + firstSegment) {
            root.removeLast(firstSegment.count + 1)
        }
        return URL(string: root + (next.hasPrefix("/") ? next : "/" + next))
    }
}
