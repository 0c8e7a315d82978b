import Foundation

extension JSONValue {
    /// Parses one JSON document with a direct byte reader. Returns nil for anything it does not accept
    /// (invalid JSON, a duplicate key, a number `Decimal` cannot hold, nesting deeper than 512 levels), so
    /// `parse` falls back to `JSONDecoder` for the result or the precise error.
    ///
    /// Every exchange reply passes through here, and `JSONDecoder` with `JSONValue`'s `Codable` conformance tries
    /// each type in turn (throwing a `DecodingError` for every miss), which cost about a fifth of a tool call.
    static func parseDirectly(_ data: Data) -> JSONValue? {
        data.withUnsafeBytes { buffer -> JSONValue? in
            var reader = DirectJSONReader(bytes: buffer)
            guard let value = reader.readValue(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.index == buffer.count ? value : nil
        }
    }
}

/// A recursive-descent JSON reader over bytes that builds `JSONValue`s, with JSON's grammar (RFC 8259).
private struct DirectJSONReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    static let maximumDepth = 512

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count, depth < Self.maximumDepth else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return readObject(depth: depth)
        case UInt8(ascii: "["): return readArray(depth: depth)
        case UInt8(ascii: "\""): return readString().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return readNumber().map { .number($0) }
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        if matches { index += count }
        return matches
    }

    private mutating func readObject(depth: Int) -> JSONValue? {
        index += 1
        // Room for a reply object's usual few members, so most objects are allocated once instead of growing.
        var members = [String: JSONValue](minimumCapacity: 8)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = readString() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = readValue(depth: depth + 1) else { return nil }
            // A duplicate key is left to JSONDecoder, whose choice between the two values is the reference.
            guard members.updateValue(value, forKey: key) == nil else { return nil }
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            return .object(members)
        }
    }

    private mutating func readArray(depth: Int) -> JSONValue? {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            guard let element = readValue(depth: depth + 1) else { return nil }
            elements.append(element)
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { return nil }
            index += 1
            return .array(elements)
        }
    }

    /// Reads a string starting at its opening quote.
    private mutating func readString() -> String? {
        index += 1
        let start = index
        var isASCII = true
        var hasEscape = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
                continue
            }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        index += 1
        if !hasEscape {
            if isASCII { return String(decoding: raw, as: UTF8.self) }
            return String(validating: raw, as: UTF8.self)
        }
        return Self.unescape(raw)
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String? {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        var position = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[at + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while position < raw.count {
            let byte = raw[position]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                position += 1
                continue
            }
            guard position + 1 < raw.count else { return nil }
            let escaped = raw[position + 1]
            position += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4(position) else { return nil }
                position += 4
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard position + 6 <= raw.count, raw[position] == UInt8(ascii: "\\"),
                        raw[position + 1] == UInt8(ascii: "u"), let low = hex4(position + 2),
                        (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    position += 6
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    return nil
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                utf8.append(contentsOf: UTF8.encode(scalar)!)
            default:
                return nil
            }
        }
        return String(validating: utf8, as: UTF8.self)
    }

    /// Reads a number with JSON's grammar into an exact `Decimal`.
    private mutating func readNumber() -> Decimal? {
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        // Integer part: "0" or a non-zero digit followed by digits.
        guard index < bytes.count, Self.isDigit(bytes[index]) else { return nil }
        var significand: UInt64 = 0
        var digits = 0
        var scale = 0
        var fitsFastPath = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                accumulate(bytes[index], into: &significand, digits: &digits, fits: &fitsFastPath)
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { return nil }
            while index < bytes.count, Self.isDigit(bytes[index]) {
                accumulate(bytes[index], into: &significand, digits: &digits, fits: &fitsFastPath)
                scale += 1
                index += 1
            }
            if scale > 30 { fitsFastPath = false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            fitsFastPath = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { return nil }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if fitsFastPath {
            if significand == 0 { return Decimal.zero }
            return Decimal(sign: negative ? .minus : .plus, exponent: -scale, significand: Decimal(significand))
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
            return nil
        }
        return value
    }

    /// Adds one digit to the significand while it stays below 10^18, which a `UInt64` represents exactly.
    private func accumulate(_ digit: UInt8, into significand: inout UInt64, digits: inout Int, fits: inout Bool) {
        guard fits else { return }
        if significand == 0, digit == UInt8(ascii: "0") { return }
        digits += 1
        if digits > 18 {
            fits = false
            return
        }
        significand = significand * 10 + UInt64(digit - UInt8(ascii: "0"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
