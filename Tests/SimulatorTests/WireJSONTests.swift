import Foundation
import Testing
@testable import Simulator

struct WireJSONTests {
    @Test(arguments: [Int64.min, -100_000_000, -1_234_567, -1, 0, 1, 99_999_999, 100_000_000, 6_574_997_000_000, Int64.max])
    func unitsMatchTheDecimalText(_ value: Int64) {
        let fromUnits = String(decoding: WireJSON.units(value).bytes, as: UTF8.self)
        let fromDecimal = String(decoding: WireJSON.decimal(MarketModel.decimal(units: value)).bytes, as: UTF8.self)
        #expect(fromUnits == fromDecimal)
    }

    @Test(arguments: [Int64.min, -1_234_567, -1, 0, 9, 10, 1_764_000_000_000, Int64.max])
    func integersMatchTheirDescription(_ value: Int64) {
        #expect(String(decoding: WireJSON.int(value).bytes, as: UTF8.self) == String(value))
    }

    @Test func stringsAreEscapedOnlyWhenNeeded() {
        let object = WireJSON.object([("plain", .string("BTCUSDT")), ("quoted", .string("a\"b\\c\nd\u{1}"))])
        let text = String(decoding: object.bytes, as: UTF8.self)
        #expect(text == #"{"plain":"BTCUSDT","quoted":"a\"b\\c\nd\u0001"}"#)
    }
}
