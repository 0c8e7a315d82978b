import Foundation
import Testing

@testable import BinanceAPI

/// `DecimalText.format` writes small significands itself instead of calling `description`; its text must be the
/// same for every value, including values made by arithmetic, whose significands keep trailing zeros.
struct DecimalTextFormattingTests {
    /// The previous implementation of `format(_:scale:)`, kept here as the reference.
    static func referenceFormat(_ value: Decimal, scale: Int) -> String {
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

    static var values: [Decimal] {
        var values: [Decimal] = [
            0, 1, -1, 10, 100, 15_000, Decimal.greatestFiniteMagnitude, Decimal.leastNonzeroMagnitude,
            Decimal(string: "0.00001000")!, Decimal(string: "-0.0")!, Decimal(string: "65000.10")!,
            Decimal(string: "123456789012345678901234567890.5")!, Decimal(string: "18446744073709551615")!,
            Decimal(string: "18446744073709551616")!, Decimal(string: "1e-20")!, Decimal(string: "-1e-30")!,
            Decimal(string: "9999999999999999999.99")!, Decimal(string: "1e30")!, Decimal(string: "-42.4200")!,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let significand = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63))
            let exponent = Int.random(in: -30...12, using: &generator)
            let sign: FloatingPointSign = Bool.random(using: &generator) ? .minus : .plus
            values.append(Decimal(sign: sign, exponent: exponent, significand: significand))
        }
        // Arithmetic keeps digits a parse would drop: 1.50 × 2.0, sums, quotients.
        let a = Decimal(string: "1.50")!
        let b = Decimal(string: "2.0")!
        values += [a * b, a + b, a - b * 3, a / b, Decimal(1) / Decimal(3), Decimal(65_000) * Decimal(string: "0.0010")!]
        return values
    }

    @Test func formatEqualsDescription() {
        for value in Self.values {
            #expect(DecimalText.format(value) == value.description, "\(value)")
        }
        #expect(DecimalText.format(Decimal.nan) == Decimal.nan.description)
    }

    @Test func formatWithScaleEqualsRoundingThenPadding() {
        for value in Self.values {
            for scale in [0, 1, 2, 3, 8, 12] {
                #expect(DecimalText.format(value, scale: scale) == Self.referenceFormat(value, scale: scale),
                        "\(value) scale \(scale)")
            }
        }
    }

    @Test func knownTexts() {
        #expect(DecimalText.format(Decimal(string: "0.00001000")!) == "0.00001")
        #expect(DecimalText.format(Decimal(string: "0.00001000")!, scale: 8) == "0.00001000")
        #expect(DecimalText.format(Decimal(string: "-0.001")!, scale: 2) == "0.00")
        #expect(DecimalText.format(Decimal(string: "1234.5678")!, scale: 2) == "1234.56")
        #expect(DecimalText.format(Decimal(string: "-1234.5678")!, scale: 2) == "-1234.56")
        #expect(DecimalText.format(Decimal(15_000), scale: 3) == "15000.000")
    }
}
