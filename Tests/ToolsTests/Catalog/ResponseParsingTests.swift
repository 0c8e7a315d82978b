import Foundation
import Testing
@testable import Tools

/// How the gateway turns response bodies into `JSONValue`: every JSON kind kept apart, numbers exact.
struct ResponseParsingTests {
    @Test func eachKindParsesAsItself() throws {
        let body = #"[true, 1, 0, false, "x", 1.5, null, {"a":[1]}, [], {}, "true", "1", 1e2, 123456789.123456789]"#
        let value = try ExchangeGateway.parse(Data(body.utf8), from: .openOrders)
        #expect(value == [
            true, 1, 0, false, "x", .number(Decimal(string: "1.5")!), .null, ["a": [1]], [], [:], "true", "1", 100,
            .number(Decimal(string: "123456789.123456789")!),
        ])
    }

    @Test func orderIdsAndTimesStayExact() throws {
        let body = #"{"orderId":28457283958123456,"time":1700000000123,"price":"0.00001000","isWorking":false}"#
        let value = try ExchangeGateway.parse(Data(body.utf8), from: .queryOrder)
        #expect(value["orderId"] == .int64(28_457_283_958_123_456))
        #expect(value["time"] == .int64(1_700_000_000_123))
        #expect(value["price"] == "0.00001000")
        #expect(value["isWorking"] == false)
    }

    @Test func malformedBodyIsInternalError() {
        do {
            _ = try ExchangeGateway.parse(Data("{\"a\":".utf8), from: .openOrders)
            Issue.record("a cut body parsed")
        } catch {
            #expect(error.type == .internalError)
            #expect(error.message == "Unexpected response from GET /api/v3/openOrders: the body is not valid JSON.")
        }
    }
}
