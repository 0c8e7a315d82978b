/// Finds every run of text copied from a known secret, in one pass over the text.
///
/// Every 8-byte window of every source text is stored under its bytes packed into a `UInt64`. The scan packs the
/// text's windows the same way with a rolling shift, checks a 64 Kbit filter (one multiply and one load per
/// byte, which rejects nearly every window of ordinary text), and only then looks the window up. A hit is
/// extended to the left and right while the text and the source agree, and kept when the extended run reaches
/// the source's minimum length. The cost is linear in the text for text without secrets.
struct SecretFragmentIndex: Sendable {
    private struct Occurrence: Sendable {
        var source: Int32
        var offset: Int32
    }

    private static let windowLength = 8
    private static let filterBits = 1 << 16

    private let sources: [[UInt8]]
    private let minimumLengths: [Int]
    private let occurrences: [UInt64: [Occurrence]]
    private let filter: [UInt64]

    /// - Parameter sources: texts whose runs are secret, each with the shortest run to report (at least 8).
    init(sources: [(text: String, minimumLength: Int)]) {
        var occurrences: [UInt64: [Occurrence]] = [:]
        var filter = [UInt64](repeating: 0, count: Self.filterBits / 64)
        var bytesOfSources: [[UInt8]] = []
        var minimumLengths: [Int] = []
        for (text, minimumLength) in sources {
            let bytes = Array(text.utf8)
            guard bytes.count >= Self.windowLength else { continue }
            let sourceNumber = Int32(bytesOfSources.count)
            bytesOfSources.append(bytes)
            minimumLengths.append(max(minimumLength, Self.windowLength))
            var window: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                window = (window << 8) | UInt64(byte)
                guard index >= Self.windowLength - 1 else { continue }
                let slot = Self.filterSlot(window)
                filter[slot >> 6] |= 1 << UInt64(slot & 63)
                occurrences[window, default: []].append(
                    Occurrence(source: sourceNumber, offset: Int32(index + 1 - Self.windowLength))
                )
            }
        }
        self.sources = bytesOfSources
        self.minimumLengths = minimumLengths
        self.occurrences = occurrences
        self.filter = filter
    }

    /// Returns the byte ranges of `text` copied from a source, sorted and merged where they overlap or touch.
    func matches(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard text.count >= Self.windowLength else { return [] }
        var found: [Range<Int>] = []
        var window: UInt64 = 0
        // Windows that end inside a range already found cannot add to it: a longer run with another alignment
        // also has windows ending after the range, and extending one of those to the left finds its start.
        var coveredUntil = 0
        var hits: [(index: Int, window: UInt64)] = []
        // The filter pass touches nothing but the text and the filter, so it stays a tight loop.
        filter.withUnsafeBufferPointer { filter in
            for index in 0..<text.count {
                window = (window << 8) | UInt64(text[index])
                let slot = Self.filterSlot(window)
                if filter[slot >> 6] & (1 << UInt64(slot & 63)) != 0, index >= Self.windowLength - 1 {
                    hits.append((index, window))
                }
            }
        }
        for (index, window) in hits where index >= coveredUntil {
            guard let candidates = occurrences[window] else { continue }
            let windowStart = index + 1 - Self.windowLength
            for candidate in candidates {
                let source = sources[Int(candidate.source)]
                var lower = windowStart
                var sourceLower = Int(candidate.offset)
                while lower > 0, sourceLower > 0, text[lower - 1] == source[sourceLower - 1] {
                    lower -= 1
                    sourceLower -= 1
                }
                var upper = index + 1
                var sourceUpper = Int(candidate.offset) + Self.windowLength
                while upper < text.count, sourceUpper < source.count, text[upper] == source[sourceUpper] {
                    upper += 1
                    sourceUpper += 1
                }
                guard upper - lower >= minimumLengths[Int(candidate.source)] else { continue }
                found.append(lower..<upper)
                coveredUntil = max(coveredUntil, upper)
            }
        }
        return Self.merged(found)
    }

    private static func filterSlot(_ window: UInt64) -> Int {
        Int(truncatingIfNeeded: (window &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    private static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        guard ranges.count > 1 else { return ranges }
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}

/// The shape rules of the redactor that can apply to a text, found in one scan of its bytes.
struct ShapeHints {
    /// `=` or `:`, which every named value (`signature=…`, `"apiKey": …`) needs.
    var hasDelimiter = false
    /// Five dashes in a row, which every PEM marker starts with.
    var hasDashRun = false
    /// A run of exactly 64 ASCII letters and digits.
    var hasLongRun = false

    init(scanning text: UnsafeBufferPointer<UInt8>) {
        var delimiter: UInt8 = 0
        var dashes = 0
        var sawDashRun = false
        var run = 0
        var sawLongRun = false
        Self.classes.withUnsafeBufferPointer { classes in
            for byte in text {
                let kind = classes[Int(byte)]
                delimiter |= kind & Self.delimiterClass
                dashes = kind & Self.dashClass != 0 ? dashes + 1 : 0
                sawDashRun = sawDashRun || dashes == 5
                if kind & Self.alphanumericClass != 0 {
                    run += 1
                } else {
                    sawLongRun = sawLongRun || run == 64
                    run = 0
                }
            }
        }
        hasDelimiter = delimiter != 0
        hasDashRun = sawDashRun
        hasLongRun = sawLongRun || run == 64
    }

    private static let delimiterClass: UInt8 = 1
    private static let dashClass: UInt8 = 2
    private static let alphanumericClass: UInt8 = 4

    /// The class bits of each byte value, so the scan does one table load per byte.
    private static let classes: [UInt8] = (0...255).map { value -> UInt8 in
        let byte = UInt8(value)
        if byte == UInt8(ascii: "=") || byte == UInt8(ascii: ":") { return delimiterClass }
        if byte == UInt8(ascii: "-") { return dashClass }
        let isAlphanumeric =
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        return isAlphanumeric ? alphanumericClass : 0
    }

    var any: Bool { hasDelimiter || hasDashRun || hasLongRun }
}
