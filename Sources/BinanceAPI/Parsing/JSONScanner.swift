import Foundation

/// A forward-only reader over JSON bytes, for hand-written decoders of large responses where `JSONDecoder`
/// is too slow (exchangeInfo has thousands of symbols). Every method throws `JSONScanner.Failure` on input
/// it does not expect, and the caller then falls back to `JSONDecoder` for a precise error.
///
/// Objects and arrays are read with cursors rather than closures, and keys are matched against their raw
/// bytes, so reading a member costs no `String`:
///
///     var key = try scanner.firstKey()
///     while let current = key {
///         switch current {
///         case "symbol": name = try scanner.readString()
///         default: try scanner.skipValue()
///         }
///         key = try scanner.nextKey()
///     }
struct JSONScanner {
    struct Failure: Error {}

    /// A scalar value kept as its byte range, for objects whose meaning depends on a later key.
    enum Scalar {
        case string(Range<Int>)
        case number(Range<Int>)
        case bool(Bool)
        case null
    }

    /// The name of an object member, compared with `case "name":` against its bytes. It holds no reference, so
    /// passing keys around costs no reference counting.
    struct Key {
        /// The bytes between the quotes, escapes included.
        let bytes: UnsafeRawBufferPointer
        /// Whether the key contains escapes (`"sym\u0062ol"`), which the scanner has already checked are valid.
        let hasEscapes: Bool

        @inline(__always)
        static func ~= (name: StaticString, key: Key) -> Bool {
            guard key.hasEscapes else { return JSONScanner.bytes(key.bytes, equal: name) }
            // Rare, so the key is decoded again for each name it is compared with.
            guard let text = try? JSONScanner.unescape(key.bytes) else { return false }
            return name.withUTF8Buffer { text.utf8.elementsEqual($0) }
        }
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0
    /// Whether the string `readStringRange` read last contains a backslash, so callers need not search it again.
    private(set) var lastStringHasEscapes = false

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    // MARK: - Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after optional whitespace.
    @inline(__always)
    mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw Failure() }
        index += 1
    }

    /// Consumes `byte` after optional whitespace if it is next; returns whether it was.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes the `{` of an object and returns its first key, positioned at the value; nil for `{}`.
    mutating func firstKey() throws -> Key? {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return nil }
        return try readKey()
    }

    /// After a member's value, returns the next key, positioned at its value; nil after the closing `}`.
    mutating func nextKey() throws -> Key? {
        if consume(UInt8(ascii: ",")) { return try readKey() }
        try expect(UInt8(ascii: "}"))
        return nil
    }

    /// Consumes the `[` of an array; returns false for `[]`, which is then consumed whole.
    mutating func enterArray() throws -> Bool {
        try expect(UInt8(ascii: "["))
        return !consume(UInt8(ascii: "]"))
    }

    /// After an element, returns whether another follows; false after the closing `]`.
    mutating func nextElement() throws -> Bool {
        if consume(UInt8(ascii: ",")) { return true }
        try expect(UInt8(ascii: "]"))
        return false
    }

    private mutating func readKey() throws -> Key {
        let range = try readStringRange()
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        try expect(UInt8(ascii: ":"))
        guard lastStringHasEscapes else { return Key(bytes: slice, hasEscapes: false) }
        _ = try Self.unescape(slice)
        return Key(bytes: slice, hasEscapes: true)
    }

    // MARK: - Values

    mutating func readString() throws -> String {
        try string(.string(try readStringRange()))
    }

    /// Reads a string and returns the range of its contents between the quotes, escapes included.
    mutating func readStringRange() throws -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        guard let base = bytes.baseAddress else { throw Failure() }
        let start = index
        var position = index
        let end = bytes.count
        lastStringHasEscapes = false
        // Most bytes of an exchangeInfo body are inside strings, so they are skipped eight at a time while none
        // of the eight ends the string, starts an escape or is a control character.
        while true {
            while position + 8 <= end,
                !Self.hasQuoteBackslashOrControl(base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            {
                position += 8
            }
            guard position < end else { throw Failure() }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                return start..<position
            } else if byte == UInt8(ascii: "\\") {
                lastStringHasEscapes = true
                position += 2
            } else if byte < 0x20 {
                throw Failure()
            } else {
                position += 1
            }
        }
    }

    /// Returns whether any of the eight bytes of `word` is `"`, `\` or below 0x20, with the bit tricks for finding
    /// a zero byte (`(x - 0x01…01) & ~x & 0x80…80`) and a byte below n (`(x - n…n) & ~x & 0x80…80`, n ≤ 128).
    @inline(__always)
    private static func hasQuoteBackslashOrControl(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quoteFound = (quotes &- ones) & ~quotes
        let backslashFound = (backslashes &- ones) & ~backslashes
        let controlFound = (word &- ones &* 0x20) & ~word
        return (quoteFound | backslashFound | controlFound) & highBits != 0
    }

    mutating func readStringArray() throws -> [String] {
        var values: [String] = []
        var more = try enterArray()
        while more {
            values.append(try readString())
            more = try nextElement()
        }
        return values
    }

    /// Skips an array after checking that every element is a string, as decoding it as `[String]` would.
    mutating func skipStringArray() throws {
        var more = try enterArray()
        while more {
            _ = try readStringRange()
            more = try nextElement()
        }
    }

    /// Returns the range of a whole array value, brackets included, after checking that its elements are strings.
    mutating func readStringArrayRange() throws -> Range<Int> {
        skipWhitespace()
        let start = index
        try skipStringArray()
        return start..<index
    }

    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw Failure()
    }

    /// Reads an integer written as a JSON number or as a string of digits.
    mutating func readInteger() throws -> Int64 {
        try integer(try readNumberOrString())
    }

    /// Reads a decimal written as a JSON string (`"0.01000000"`) or number, with `DecimalText.parse`'s rules.
    mutating func readDecimal() throws -> DecimalValue {
        try decimal(try readNumberOrString())
    }

    mutating func readScalar() throws -> Scalar {
        skipWhitespace()
        guard index < bytes.count else { throw Failure() }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try readStringRange())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool())
        case UInt8(ascii: "n"):
            guard matchLiteral("null") else { throw Failure() }
            return .null
        default:
            let range = readNumberRange()
            guard !range.isEmpty else { throw Failure() }
            return .number(range)
        }
    }

    /// Skips one value of any type without building it; object keys are checked to be strings, not decoded.
    mutating func skipValue() throws {
        skipWhitespace()
        guard index < bytes.count else { throw Failure() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readStringRange()
                try expect(UInt8(ascii: ":"))
                try skipValue()
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            var more = try enterArray()
            while more {
                try skipValue()
                more = try nextElement()
            }
        default:
            _ = try readScalar()
        }
    }

    /// Returns whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    // MARK: - Scalars from ranges

    func integer(_ scalar: Scalar) throws -> Int64 {
        switch scalar {
        case .string(let range), .number(let range):
            guard let value = Self.integer(bytes, range) else { throw Failure() }
            return value
        default:
            throw Failure()
        }
    }

    func decimal(_ scalar: Scalar) throws -> DecimalValue {
        switch scalar {
        case .string(let range), .number(let range):
            guard let value = Self.decimal(bytes, range) else { throw Failure() }
            return DecimalValue(value)
        default:
            throw Failure()
        }
    }

    func bool(_ scalar: Scalar) throws -> Bool {
        guard case .bool(let value) = scalar else { throw Failure() }
        return value
    }

    func string(_ scalar: Scalar) throws -> String {
        guard case .string(let range) = scalar else { throw Failure() }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard slice.contains(UInt8(ascii: "\\")) else { return String(decoding: slice, as: UTF8.self) }
        return try Self.unescape(slice)
    }

    /// Returns the string `scalar` as a `Key`, so `switch` can match it against names without making a `String`.
    func key(_ scalar: Scalar) throws -> Key {
        guard case .string(let range) = scalar else { throw Failure() }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard slice.contains(UInt8(ascii: "\\")) else { return Key(bytes: slice, hasEscapes: false) }
        _ = try Self.unescape(slice)
        return Key(bytes: slice, hasEscapes: true)
    }

    /// Returns whether the bytes at `first` and `second` are the same.
    func bytes(in first: Range<Int>, equalBytesIn second: Range<Int>) -> Bool {
        guard first.count == second.count else { return false }
        guard !first.isEmpty, let base = bytes.baseAddress else { return true }
        return memcmp(base + first.lowerBound, base + second.lowerBound, first.count) == 0
    }

    // MARK: - Helpers

    @inline(__always)
    static func bytes(_ slice: UnsafeRawBufferPointer, equal name: StaticString) -> Bool {
        // The length differs for most names a key is compared with, so that check comes first.
        let count = name.utf8CodeUnitCount
        guard slice.count == count else { return false }
        guard count > 0, let base = slice.baseAddress else { return true }
        return memcmp(base, name.utf8Start, count) == 0
    }

    private mutating func readNumberOrString() throws -> Scalar {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { return .string(try readStringRange()) }
        return .number(readNumberRange())
    }

    private mutating func readNumberRange() -> Range<Int> {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                return start..<index
            }
        }
        return start..<index
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            return false
        }
        index += count
        return true
    }

    private static func integer(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        var position = range.lowerBound
        let isNegative = position < range.upperBound && bytes[position] == UInt8(ascii: "-")
        if isNegative { position += 1 }
        guard position < range.upperBound, range.upperBound - position <= 18 else {
            return Int64(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
        var value: Int64 = 0
        while position < range.upperBound {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            position += 1
        }
        return isNegative ? -value : value
    }

    /// Parses plain decimal text of up to 19 digits that fit in a `UInt64`; falls back to `DecimalText.parse` for
    /// longer or unusual input.
    private static func decimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var position = range.lowerBound
        let isNegative = position < range.upperBound && bytes[position] == UInt8(ascii: "-")
        if isNegative { position += 1 }
        let firstDigit = position
        while position < range.upperBound {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") {
                // A point needs digits on both sides, and only one point is allowed.
                guard !seenPoint, position > firstDigit, position + 1 < range.upperBound else { return nil }
                seenPoint = true
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return slowDecimal(bytes, range) }
                // Binance writes some maximums with 19 digits (`92233720368.54775807`), which still fit.
                let (tens, overflow) = significand.multipliedReportingOverflow(by: 10)
                let (sum, carry) = tens.addingReportingOverflow(UInt64(digit))
                guard !overflow, !carry else { return slowDecimal(bytes, range) }
                significand = sum
                digits += 1
                if seenPoint { scale += 1 }
            }
            position += 1
        }
        guard digits > 0 else { return nil }
        // Longer text takes `DecimalText.parse`, which rejects over 60 characters.
        guard digits <= 19, range.count <= 60 else { return slowDecimal(bytes, range) }
        let sign: FloatingPointSign = isNegative && significand != 0 ? .minus : .plus
        return Decimal(sign: sign, exponent: -scale, significand: Decimal(significand))
    }

    private static func slowDecimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Decimal? {
        DecimalText.parse(
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self),
            allowNegative: true
        )
    }

    /// Decodes a string with escapes through `JSONDecoder`, which handles every escape form correctly.
    fileprivate static func unescape(_ slice: UnsafeRawBufferPointer) throws -> String {
        let quoted = Data([UInt8(ascii: "\"")] + Array(slice) + [UInt8(ascii: "\"")])
        guard let text = try? JSONDecoder().decode(String.self, from: quoted) else { throw Failure() }
        return text
    }
}
