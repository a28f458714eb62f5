#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The order a shell's glob (`dump.pcap*`) or `ls` lists names in: sorted as text, so
/// `dump.pcap10` comes before `dump.pcap2`. `CaptureInputs` reads a rotated set given in
/// this order in natural order instead, and any other order as it was given.
///
/// The shell sorts with the collation of its locale, which dasaudit inherits: byte order in
/// `C` and `C.UTF-8`, but `en_US.UTF-8` sets punctuation aside and puts `dump.pcap.gz` last.
/// Either counts.
enum GlobOrder {
    /// Whether `names` are sorted in byte order or in the collation of the locale that
    /// `LC_ALL`, `LC_COLLATE` or `LANG` names (one that is not installed sorts as `C`, for
    /// the shell too).
    static func holds(_ names: [String]) -> Bool {
        if isSorted(names, by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { return true }
        guard let locale = newlocale(LC_COLLATE_MASK, "", nil) else { return false }
        defer { freelocale(locale) }
        return isSorted(names) { strcoll_l($0, $1, locale) < 0 }
    }

    private static func isSorted(_ names: [String], by precedes: (String, String) -> Bool) -> Bool {
        zip(names, names.dropFirst()).allSatisfy { !precedes($1, $0) }
    }
}
