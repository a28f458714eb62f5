/// What an input's first TCP segments showed of its checksums when too many were wrong to be
/// damage (`InputSample` in CaptureEngine): the sums were not computed over the bytes the
/// capture holds (an anonymized or rewritten capture: addresses or ports changed without
/// their sums), so none of the input's segments was set aside as `bad-checksum`. The
/// result's `checksums_not_judged`.
public struct WrongChecksums: Codable, Sendable, Equatable {
    /// The sampled segments whose sum was wrong: at least `fewestWrong`, at most `judged`.
    public var wrong: UInt64
    /// The sampled segments whose sum was judged (whole segments but connection requests,
    /// among the input's first 4,096 TCP segments): at most 4,096.
    public var judged: UInt64

    /// The most segments a sample judges: the most it reads (`InputSample.segmentLimit`).
    public static let mostJudged: UInt64 = 4096
    /// The share of wrong sums among the judged ones from which an input's checksums are
    /// taken as not computed over its bytes: a quarter. An anonymized capture has nearly all
    /// of them wrong (`bittwiste -C` of a bundled capture: 572 of 572; the anonymized
    /// captures among nDPI's tests: 3 of 3 to 548 of 548); the bundled captures of real
    /// damage, 4 of 99 (`damaged-packets-veth.pcap`, a relay that flips bits) and 4 of 37
    /// (`damaged-teardown-veth.pcap`, forged RSTs and FINs).
    public static let threshold = (wrong: 1, per: 4)
    /// The wrong sums needed at least, so that a capture of a few segments is not decided by
    /// one or two damaged ones.
    public static let fewestWrong = 3

    /// Whether `wrong` sums of `judged` are too many to be damage on a link (`threshold`,
    /// `fewestWrong`).
    public static func tooManyForDamage<Count: BinaryInteger>(wrong: Count, judged: Count) -> Bool {
        wrong >= fewestWrong && wrong * Count(threshold.per) >= judged * Count(threshold.wrong)
    }

    public init(wrong: UInt64, judged: UInt64) {
        self.wrong = wrong
        self.judged = judged
    }

    /// What makes these figures impossible for an input that set aside `badChecksums`
    /// segments as damaged, or nil: no sample judges more than `mostJudged` segments, counts
    /// more wrong than judged, or stops judging for fewer than `tooManyForDamage`; and an
    /// input whose checksums were not judged set none aside. Read from a result, so each
    /// figure is bounded before they are multiplied.
    func problem(badChecksums: UInt64?) -> String? {
        if judged > Self.mostJudged { return "judged \(judged) is more than a sample's \(Self.mostJudged) segments" }
        if wrong > judged { return "wrong \(wrong) is more than the \(judged) judged" }
        if !Self.tooManyForDamage(wrong: wrong, judged: judged) {
            return "\(wrong) wrong of \(judged) judged is too few to stop judging"
        }
        if let badChecksums, badChecksums > 0 {
            return "the input's checksums were not judged, yet \(badChecksums) segment\(badChecksums == 1 ? " is" : "s are") "
                + "skipped as bad-checksum"
        }
        return nil
    }
}
