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
    package static func format(_ value: Decimal) -> String {
        value.description
    }

    /// Formats a decimal with exactly `scale` digits after the point, truncating extra digits toward zero.
    package static func format(_ value: Decimal, scale: Int) -> String {
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
