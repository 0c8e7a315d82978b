import Foundation

/// A forward-only reader over JSON bytes, for hand-written decoders of large responses where `JSONDecoder`
/// is too slow (exchangeInfo has thousands of symbols). Every method throws `JSONScanner.Failure` on input
/// it does not expect, and the caller then falls back to `JSONDecoder` for a precise error.
struct JSONScanner {
    struct Failure: Error {}

    /// A scalar value kept as its byte range, for objects whose meaning depends on a later key.
    enum Scalar {
        case string(Range<Int>)
        case number(Range<Int>)
        case bool(Bool)
        case null
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    // MARK: - Structure

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after optional whitespace.
    mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw Failure() }
        index += 1
    }

    /// Consumes `byte` after optional whitespace if it is next; returns whether it was.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Calls `body` with each key of an object, positioned at its value, which `body` must consume.
    mutating func readObject(_ body: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Calls `body` for each element of an array, positioned at the element, which `body` must consume.
    mutating func readArray(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            try body(&self)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    // MARK: - Values

    mutating func readString() throws -> String {
        let range = try readStringRange()
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard slice.contains(UInt8(ascii: "\\")) else { return String(decoding: slice, as: UTF8.self) }
        return try Self.unescape(slice)
    }

    mutating func readStringArray() throws -> [String] {
        var values: [String] = []
        try readArray { scanner in values.append(try scanner.readString()) }
        return values
    }

    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw Failure()
    }

    /// Reads an integer written as a JSON number or as a string of digits.
    mutating func readInteger() throws -> Int64 {
        skipWhitespace()
        let range =
            index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? try readStringRange() : readNumberRange()
        guard let value = Self.integer(bytes, range) else { throw Failure() }
        return value
    }

    /// Reads a decimal written as a JSON string (`"0.01000000"`) or number, with `DecimalText.parse`'s rules.
    mutating func readDecimal() throws -> DecimalValue {
        skipWhitespace()
        let range =
            index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? try readStringRange() : readNumberRange()
        guard let value = Self.decimal(bytes, range) else { throw Failure() }
        return DecimalValue(value)
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

    /// Skips one value of any type.
    mutating func skipValue() throws {
        skipWhitespace()
        guard index < bytes.count else { throw Failure() }
        switch bytes[index] {
        case UInt8(ascii: "{"): try readObject { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try readArray { scanner in try scanner.skipValue() }
        default: _ = try readScalar()
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

    // MARK: - Helpers

    /// Reads a string and returns the range of its contents, escapes included.
    private mutating func readStringRange() throws -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let range = start..<index
                index += 1
                return range
            case UInt8(ascii: "\\"):
                index += 2
            case 0..<0x20:
                throw Failure()
            default:
                index += 1
            }
        }
        throw Failure()
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

    /// Parses plain decimal text; falls back to `DecimalText.parse` for long or unusual input.
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
                significand = significand &* 10 &+ UInt64(digit)
                digits += 1
                if seenPoint { scale += 1 }
            }
            position += 1
        }
        guard digits > 0 else { return nil }
        guard digits <= 18 else { return slowDecimal(bytes, range) }
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
    private static func unescape(_ slice: UnsafeRawBufferPointer) throws -> String {
        let quoted = Data([UInt8(ascii: "\"")] + Array(slice) + [UInt8(ascii: "\"")])
        guard let text = try? JSONDecoder().decode(String.self, from: quoted) else { throw Failure() }
        return text
    }
}
