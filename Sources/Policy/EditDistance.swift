/// Suggestions for a mistyped key: the known word at the smallest edit distance.
enum EditDistance {
    /// Edit distance counting insertions, deletions, substitutions and swaps of two
    /// neighbouring letters (optimal string alignment), case-insensitive: "nmae" is one
    /// edit from "name", as a typist would count it.
    static func between(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.lowercased().unicodeScalars), b = Array(rhs.lowercased().unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var beforePrevious = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The candidate closest to `word`, when it is close enough to be a typo: at most a
    /// third of the word's length away (and at least one edit allowed). Ties go to the
    /// earlier candidate.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        guard word.unicodeScalars.count <= 64 else { return nil }
        let allowed = max(1, word.unicodeScalars.count / 3)
        let scored = candidates.map { ($0, between(word, $0)) }.filter { $0.1 <= allowed }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// "did you mean NEAREST? " for an error message, or "" when nothing is close.
    static func suggestion(for word: String, among candidates: [String]) -> String {
        nearest(to: word, among: candidates).map { "did you mean \($0)? " } ?? ""
    }

    /// The candidate equal to `word` but for letter case (choices are accepted in any case).
    static func matching(_ word: String, among candidates: [String]) -> String? {
        candidates.first { $0.lowercased() == word.lowercased() }
    }
}
