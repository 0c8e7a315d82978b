import BinanceAPI
import Foundation
import Testing
@testable import Tools

/// The character-level rewrite of reply decimals gives the text that parsing and formatting a `Decimal` gives.
struct PlainDecimalTextTests {
    private static func slowText(_ text: String) -> String? {
        DecimalText.parse(text, allowNegative: true).map(DecimalText.format)
    }

    @Test(arguments: [
        "0", "-0", "00", "-0.000", "0.00000000", "1", "-1", "10", "100", "0100", "1879.29000000", "1879.29",
        "0.00001000", "-0.50", "65749.97000000", "999999999999999999", "0.000000000000000001", "1234567890.12345678",
        "1.", ".5", "-", "", "1e5", "+1", "1.2.3", "--1", "1,5", " 1", "1234567890123456789", "12345678901234567.890",
    ])
    func knownCasesMatchTheDecimalPath(_ text: String) {
        let fast = DataShape.plainDecimalText(text)
        if let fast { #expect(fast == Self.slowText(text), "\(text)") }
        #expect(DataShape.decimalText(.string(text)) == Self.slowText(text), "\(text)")
    }

    @Test func acceptsReplyDecimals() {
        #expect(DataShape.plainDecimalText("1879.29000000") == "1879.29")
        #expect(DataShape.plainDecimalText("10000.00000000") == "10000")
        #expect(DataShape.plainDecimalText("-0.00") == "0")
        #expect(DataShape.plainDecimalText("1e5") == nil)
    }

    @Test func randomTextMatchesTheDecimalPath() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0000123456789..-")
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...22, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let fast = DataShape.plainDecimalText(text)
            if let fast, fast != Self.slowText(text) {
                Issue.record("'\(text)': fast path gave '\(fast)', the Decimal path '\(Self.slowText(text) ?? "nil")'")
            }
        }
    }
}
