/// k9s's matching for `:`: the typed letters must appear in the candidate in order (a subsequence, case
/// ignored), so `fla` finds `flavors` and `fip` finds `floating-ips`. Candidates that start with what was
/// typed come first (in the order the source gives them: panels before kinds, say), then the rest by how
/// tightly the letters sit together.
public enum FuzzyMatch {
    /// Lower is better; nil when `query` is not a subsequence of `candidate`.
    public static func score(_ candidate: String, _ query: String) -> Int? {
        let text = Array(candidate.lowercased().unicodeScalars)
        let wanted = Array(query.lowercased().unicodeScalars)
        if text.starts(with: wanted) { return 0 }
        var index = 0, first = -1, last = -1, gaps = 0
        for scalar in wanted {
            guard let found = text[index...].firstIndex(of: scalar) else { return nil }
            if first < 0 { first = found } else if found != last + 1 { gaps += 1 }
            last = found
            index = found + 1
        }
        // After every prefix match (0): fewer gaps,
        // then an earlier start, then a tighter span, then a shorter candidate.
        return 1_000_000 + gaps * 100_000 + min(first, 99) * 1_000 + min(last - first, 99) * 10 + min(text.count, 9) + 1
    }

    /// The candidates that match, best first (ties in the order given), each once.
    public static func rank(_ candidates: [String], _ query: String) -> [String] {
        var seen = Set<String>()
        var scored: [(candidate: String, score: Int, order: Int)] = []
        for candidate in candidates where seen.insert(candidate).inserted {
            if let score = score(candidate, query) { scored.append((candidate, score, scored.count)) }
        }
        return scored.sorted { $0.score != $1.score ? $0.score < $1.score : $0.order < $1.order }.map(\.candidate)
    }
}
