import Foundation

/// Strict conversions between `Decimal` and the plain decimal text Binance sends and accepts.
package enum DecimalText {
    /// Parses plain positional decimal text such as `0.00001000` or `70000`.
    ///
    /// Accepts only ASCII digits with at most one `.` that has digits on both sides, and an optional
    /// leading `-` when `allowNegative` is true. Rejects exponents, `NaN`, `inf`, spaces and commas,
    /// which `Decimal(string:)` would otherwise read as a prefix or a different number.
    package static func parse(_ text: String, allowNegative: Bool = false) -> Decimal? {
        var bytes = Substring(text).utf8[...]
        if allowNegative, bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.count <= 60 else { return nil }

        var digitsBefore = 0
        var digitsAfter = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if seenPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            } else {
                return nil
            }
        }
        guard digitsBefore > 0, !seenPoint || digitsAfter > 0 else { return nil }
        if digitsBefore + digitsAfter <= 18 {
            return fastDecimal(bytes, isNegative: bytes.count < text.utf8.count, scale: digitsAfter)
        }
        return Decimal(string: text, locale: posixLocale)
    }

    private static let posixLocale = Locale(identifier: "en_US_POSIX")

    /// Builds the decimal from validated digits without `Decimal(string:)`, which is slow for the thousands
    /// of values in an exchangeInfo response. Up to 18 digits fit in a `UInt64` without overflow.
    private static func fastDecimal(_ digits: Substring.UTF8View, isNegative: Bool, scale: Int) -> Decimal {
        var significand: UInt64 = 0
        for byte in digits where byte != UInt8(ascii: ".") {
            significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        // A negative zero would be NaN in Foundation's decimal layout, so zero is always positive.
        let sign: FloatingPointSign = isNegative && significand != 0 ? .minus : .plus
        return Decimal(sign: sign, exponent: -scale, significand: Decimal(significand))
    }

    /// Formats a decimal in plain positional notation (`0.00001`, never `1e-05`), without trailing zeros.
    ///
    /// Gives the same text as `description`, which every price in every reply goes through and which costs
    /// about a microsecond (it divides the 128-bit significand by ten once per digit); a significand that fits in
    /// 64 bits is written here directly.
    package static func format(_ value: Decimal) -> String {
        guard let parts = parts(of: value) else { return value.description }
        return positional(parts, minimumFractionDigits: 0)
    }

    /// Formats a decimal with exactly `scale` digits after the point, truncating extra digits toward zero.
    package static func format(_ value: Decimal, scale: Int) -> String {
        if scale >= 0, scale <= 40, var parts = parts(of: value) {
            let dropped = -parts.exponent - scale
            if dropped > 0 {
                parts.significand = dropped >= 20 ? 0 : parts.significand / powersOfTen[dropped]
                parts.exponent = -scale
            }
            if parts.significand == 0 { parts = (false, 0, 0) }
            return positional(parts, minimumFractionDigits: scale)
        }
        var rounded = Decimal()
        var source = value
        NSDecimalRound(&rounded, &source, scale, value < 0 ? .up : .down)
        var text = rounded.description
        guard scale > 0 else { return text }

        if let point = text.firstIndex(of: ".") {
            let present = text.distance(from: point, to: text.endIndex) - 1
            if present < scale { text += String(repeating: "0", count: scale - present) }
        } else {
            text += "." + String(repeating: "0", count: scale)
        }
        return text
    }

    private static let powersOfTen: [UInt64] = (0..<20).map { power in
        (0..<power).reduce(UInt64(1)) { product, _ in product * 10 }
    }

    /// The sign, exponent and significand of a finite `value` whose significand fits in 64 bits; nil otherwise.
    ///
    /// Foundation keeps the fields it reads here internal, so they are read from the value's 20 bytes: the
    /// exponent (signed byte 0), the significand's length in 16-bit words (high half of byte 1), the sign (bit 3
    /// of byte 1) and the significand's words from byte 4, least significant first. The public `exponent` and
    /// `sign` are compared with what was read, so a different layout falls back to `description`.
    static func parts(of value: Decimal) -> (negative: Bool, exponent: Int, significand: UInt64)? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: value) { bytes -> (negative: Bool, exponent: Int, significand: UInt64)? in
            let length = Int(bytes[1] >> 4)
            let negative = bytes[1] & 0x08 != 0
            if length == 0 { return negative ? nil : (false, 0, 0) }  // NaN, or zero
            guard length <= 4 else { return nil }
            let exponent = Int(Int8(bitPattern: bytes[0]))
            guard exponent == value.exponent, negative == (value.sign == .minus) else { return nil }
            var significand: UInt64 = 0
            for index in stride(from: 4 + 2 * length - 1, through: 4, by: -1) {
                significand = significand << 8 | UInt64(bytes[index])
            }
            return (negative, exponent, significand)
        }
    }

    /// Writes `significand × 10^exponent` as `description` does: every digit of the significand, a point placed by
    /// the exponent, zeros added for a positive exponent; then pads the fraction to `minimumFractionDigits`.
    private static func positional(
        _ parts: (negative: Bool, exponent: Int, significand: UInt64),
        minimumFractionDigits: Int
    ) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var remaining = parts.significand
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        digits.reverse()

        var output: [UInt8] = []
        output.reserveCapacity(digits.count + max(parts.exponent, 0) + max(-parts.exponent, minimumFractionDigits) + 3)
        if parts.negative { output.append(UInt8(ascii: "-")) }
        var fractionDigits = 0
        if parts.exponent >= 0 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: parts.exponent))
        } else {
            let fraction = -parts.exponent
            if digits.count > fraction {
                output.append(contentsOf: digits[..<(digits.count - fraction)])
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[(digits.count - fraction)...])
            } else {
                output.append(UInt8(ascii: "0"))
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: fraction - digits.count))
                output.append(contentsOf: digits)
            }
            fractionDigits = fraction
        }
        if fractionDigits < minimumFractionDigits {
            if fractionDigits == 0 { output.append(UInt8(ascii: ".")) }
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: minimumFractionDigits - fractionDigits))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns the number of digits after the point needed to write `step` (`0.00100000` → 3).
    package static func scale(of step: Decimal) -> Int {
        guard step != 0 else { return 0 }
        let text = format(step)
        guard let point = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: point, to: text.endIndex) - 1
    }

    /// Rounds `value` down to a whole multiple of `step`; returns `value` unchanged when `step` is zero.
    package static func floor(_ value: Decimal, toMultipleOf step: Decimal) -> Decimal {
        guard step > 0 else { return value }
        var quotient = value / step
        var whole = Decimal()
        NSDecimalRound(&whole, &quotient, 0, .down)
        return whole * step
    }

    /// Returns true when `value` is a whole multiple of `step` (always true for a zero step).
    package static func isMultiple(_ value: Decimal, of step: Decimal) -> Bool {
        guard step > 0 else { return true }
        return floor(value, toMultipleOf: step) == value
    }
}

/// A `Decimal` that decodes from a JSON string (`"0.00100000"`) or a JSON number and encodes as a plain string.
package struct DecimalValue: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    package var value: Decimal

    package init(_ value: Decimal) { self.value = value }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let parsed = DecimalText.parse(text, allowNegative: true) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "Invalid decimal text '\(text)'."
                )
            }
            value = parsed
        } else {
            value = try container.decode(Decimal.self)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(DecimalText.format(value))
    }

    package var description: String { DecimalText.format(value) }

    package static func < (lhs: DecimalValue, rhs: DecimalValue) -> Bool { lhs.value < rhs.value }
}
