import Foundation
import Testing
@testable import Tools

/// A tool that takes one parameter of every kind, so each rule can be exercised through `decode`.
private let probe = Tool(
    name: "probe",
    title: "Probe",
    summary: "Takes every kind of parameter.",
    group: .session,
    parameters: [
        ToolParameter("symbol", .symbol, "Symbol."),
        ToolParameter("coin", .asset, "Coin."),
        ToolParameter("price", .decimal, "Price."),
        ToolParameter("quantity", .quantity, "Quantity."),
        ToolParameter("limit", .integer(minimum: 1, maximum: 5000), "Limit."),
        ToolParameter("include_zero", .boolean, "Flag."),
        ToolParameter("side", .enumeration(["BUY", "SELL"]), "Side."),
        ToolParameter("interval", .enumeration(["1m", "1h", "1M"]), "Interval."),
        ToolParameter("start_time", .timestamp, "Start."),
        ToolParameter("end_time", .timestamp, "End."),
        ToolParameter("client_order_id", .clientOrderID, "Client id."),
        ToolParameter("order_id", .orderID, "Order id."),
        ToolParameter("needed", .string, required: false, "Text."),
    ],
    dataSchema: ["type": "object"],
    annotations: .local,
    examples: []
) { _, _ throws(ToolError) in [:] }

private func decode(_ arguments: [String: JSONValue]) throws(ToolError) -> ToolArguments {
    try ArgumentDecoder.decode(arguments, for: probe)
}

private func message(_ arguments: [String: JSONValue]) -> String? {
    do {
        _ = try decode(arguments)
        return nil
    } catch {
        return error.message
    }
}

struct ArgumentDecoderTests {
    struct Rejection: CustomTestStringConvertible, Sendable {
        var name: String
        var value: JSONValue
        var message: String
        var testDescription: String { "\(name)=\(value.serialized())" }
    }

    static let rejections: [Rejection] = [
        .init(name: "symbol", value: "BTC/USDT", message: "Invalid symbol 'BTC/USDT': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "symbol", value: "btc usdt", message: "Invalid symbol 'btc usdt': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "symbol", value: "BTCUSDTBTCUSDTBTCUSDT", message: "Invalid symbol 'BTCUSDTBTCUSDTBTCUSDT': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "symbol", value: "ВТСUSDT", message: "Invalid symbol 'ВТСUSDT': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "symbol", value: "ßTC", message: "Invalid symbol 'ßTC': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "symbol", value: "B", message: "Invalid symbol 'B': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        .init(name: "coin", value: "US DT", message: "Invalid coin 'US DT': expected 1 to 20 letters and digits such as BTC or USDT."),
        .init(name: "quantity", value: "-1", message: "Invalid quantity '-1': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "quantity", value: .number(-1), message: "Invalid quantity '-1': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "quantity", value: "abc", message: "Invalid quantity 'abc': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "quantity", value: "1e-5", message: "Invalid quantity '1e-5': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "price", value: "1E5", message: "Invalid price '1E5': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "quantity", value: "NaN", message: "Invalid quantity 'NaN': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "price", value: "Infinity", message: "Invalid price 'Infinity': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "price", value: "0", message: "Invalid price '0': expected a value greater than zero."),
        .init(name: "price", value: "0.000", message: "Invalid price '0.000': expected a value greater than zero."),
        .init(name: "price", value: "1,5", message: "Invalid price '1,5': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "price", value: ".5", message: "Invalid price '.5': expected a positive decimal in plain notation such as 0.001."),
        .init(name: "price", value: "0.000000000000000000001", message: "Invalid price '0.000000000000000000001': expected at most 20 digits before and after the decimal point."),
        .init(name: "limit", value: "0", message: "Invalid limit '0': expected a whole number from 1 to 5000."),
        .init(name: "limit", value: .number(5001), message: "Invalid limit '5001': expected a whole number from 1 to 5000."),
        .init(name: "limit", value: .number(Decimal(string: "2.5")!), message: "Invalid limit '2.5': expected a whole number from 1 to 5000."),
        .init(name: "limit", value: "ten", message: "Invalid limit 'ten': expected a whole number from 1 to 5000."),
        .init(name: "include_zero", value: "maybe", message: "Invalid include_zero 'maybe': expected true or false."),
        .init(name: "side", value: "HOLD", message: "Invalid side 'HOLD': expected one of BUY, SELL."),
        .init(name: "interval", value: "2m", message: "Invalid interval '2m': expected one of 1m, 1h, 1M."),
        .init(name: "start_time", value: "yesterday", message: "Invalid start_time 'yesterday': expected milliseconds since 1970-01-01 UTC or an ISO 8601 date such as 2024-01-31 or 2024-01-31T12:00:00Z."),
        .init(name: "start_time", value: "2024-02-30", message: "Invalid start_time '2024-02-30': expected milliseconds since 1970-01-01 UTC or an ISO 8601 date such as 2024-01-31 or 2024-01-31T12:00:00Z."),
        .init(name: "start_time", value: .number(1_700_000_000), message: "Invalid start_time '1700000000': expected milliseconds since 1970-01-01 UTC; this looks like seconds, so write 1700000000000."),
        .init(name: "client_order_id", value: "my order", message: "Invalid client_order_id 'my order': expected 1 to 36 letters, digits, '-' or '_'."),
        .init(name: "client_order_id", value: .string(String(repeating: "a", count: 37)), message: "Invalid client_order_id '\(String(repeating: "a", count: 37))': expected 1 to 36 letters, digits, '-' or '_'."),
        .init(name: "order_id", value: "12ab", message: "Invalid order_id '12ab': expected an order id of 1 to 19 digits."),
        .init(name: "order_id", value: "-5", message: "Invalid order_id '-5': expected an order id of 1 to 19 digits."),
        .init(name: "limit", value: [1, 2], message: "Invalid limit '[1,2]': expected a single value, not an array or object."),
    ]

    @Test(arguments: rejections)
    func rejectsWithExactMessage(_ rejection: Rejection) {
        #expect(message([rejection.name: rejection.value]) == rejection.message)
    }

    @Test func rejectsUnknownParameter() {
        do {
            _ = try decode(["symbl": "BTCUSDT"])
            Issue.record("an unknown parameter was accepted")
        } catch {
            #expect(error.message == "Unknown parameter 'symbl' for probe.")
            #expect(error.type == .validationError)
            #expect(error.hint?.hasPrefix("Known parameters: symbol, coin, price") == true)
        }
    }

    @Test func rejectsMissingRequiredParameter() throws {
        var tool = probe
        tool.parameters[0].isRequired = true
        do {
            _ = try ArgumentDecoder.decode([:], for: tool)
            Issue.record("a missing required parameter was accepted")
        } catch {
            #expect(error.message == "Missing required parameter 'symbol' for probe.")
        }
    }

    @Test func rejectsStartAfterEnd() {
        #expect(
            message(["start_time": "2024-02-01", "end_time": "2024-01-01"])
                == "Invalid time range: start_time '2024-02-01' must be earlier than end_time '2024-01-01'."
        )
        #expect(
            message(["start_time": .number(1_700_000_000_000), "end_time": .number(1_700_000_000_000)])
                == "Invalid time range: start_time '1700000000000' must be earlier than end_time '1700000000000'."
        )
    }

    @Test func acceptsRealSymbolsAndNormalizesCase() throws {
        #expect(try decode(["symbol": "1INCHUSDT"]).string("symbol") == "1INCHUSDT")
        #expect(try decode(["symbol": "btcusdt"]).string("symbol") == "BTCUSDT")
        #expect(try decode(["coin": "usdt"]).string("coin") == "USDT")
    }

    @Test func decimalsFromStringsAndNumbersAgree() throws {
        let fromString = try decode(["price": "0.00001000", "quantity": "0.1"])
        let fromNumber = try decode(["price": .number(Decimal(string: "0.00001")!), "quantity": .number(Decimal(string: "0.1")!)])
        #expect(fromString == fromNumber)
        #expect(fromString.decimal("price") == Decimal(string: "0.00001"))
    }

    @Test func quantityAcceptsAll() throws {
        #expect(try decode(["quantity": "ALL"])["quantity"] == .all)
    }

    @Test func integersFromStringsAndNumbersAgree() throws {
        #expect(try decode(["limit": "5"]) == decode(["limit": .number(5)]))
    }

    @Test func booleansFromStringsAndJSON() throws {
        #expect(try decode(["include_zero": "true"]).boolean("include_zero") == true)
        #expect(try decode(["include_zero": .bool(false)]).boolean("include_zero") == false)
    }

    @Test func enumerationsIgnoreCaseUnlessAmbiguous() throws {
        #expect(try decode(["side": "buy"]).string("side") == "BUY")
        #expect(try decode(["interval": "1M"]).string("interval") == "1M")
        #expect(try decode(["interval": "1m"]).string("interval") == "1m")
        #expect(try decode(["interval": "1H"]).string("interval") == "1h")
    }

    @Test func timestampsAcceptMillisecondsAndISODates() throws {
        #expect(try decode(["start_time": "1700000000000"]).integer("start_time") == 1_700_000_000_000)
        #expect(try decode(["start_time": "2024-01-31"]).integer("start_time") == 1_706_659_200_000)
        #expect(try decode(["start_time": "2024-01-31T12:00:00Z"]).integer("start_time") == 1_706_702_400_000)
    }

    @Test func nullCountsAsAbsent() throws {
        #expect(try decode(["symbol": .null]).string("symbol") == nil)
    }
}
