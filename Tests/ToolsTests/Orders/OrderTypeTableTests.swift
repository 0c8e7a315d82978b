import BinanceAPI
import Foundation
import Testing
@testable import Tools

/// What each of Binance's seven spot order types sends. `timeInForce` (GTC unless given) goes only with the
/// LIMIT forms that take it, `price` only with priced types, and `stopPrice` or `trailingDelta` only with stop
/// types. Values that binary floating point gets wrong arrive exactly.
struct OrderTypeTableTests {
    private static func value(_ text: String) -> DecimalValue { DecimalValue(Decimal(string: text)!) }

    /// A symbol that allows every order type, with a 0.1 tick, a 0.00001 step and TRAILING_DELTA 10 to 2000.
    static let rules: SymbolRules = {
        var price = SymbolFilter(filterType: "PRICE_FILTER")
        price.minPrice = value("0.1")
        price.maxPrice = value("1000000")
        price.tickSize = value("0.1")
        var lot = SymbolFilter(filterType: "LOT_SIZE")
        lot.minQty = value("0.00001")
        lot.maxQty = value("1000")
        lot.stepSize = value("0.00001")
        var trailing = SymbolFilter(filterType: "TRAILING_DELTA")
        trailing.minTrailingAboveDelta = 10
        trailing.maxTrailingAboveDelta = 2000
        trailing.minTrailingBelowDelta = 10
        trailing.maxTrailingBelowDelta = 2000
        return SymbolRules(
            symbol: "TESTUSDT", status: "TRADING", baseAsset: "TEST", quoteAsset: "USDT", baseAssetPrecision: 8,
            quoteAssetPrecision: 8, orderTypes: Parameters.orderTypes, quoteOrderQtyMarketAllowed: true,
            filters: [price, lot, trailing]
        )
    }()

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var draft: OrderDraft
        /// The Binance parameters expected besides symbol, side and type. A name missing here must not be sent.
        var sent: [String: String]
        var testDescription: String { name }
    }

    static func draft(
        _ type: String,
        side: String = "SELL",
        quantity: String = "0.00003",
        price: String? = nil,
        stopPrice: String? = nil,
        timeInForce: String? = nil,
        trailingDelta: Int? = nil
    ) -> OrderDraft {
        OrderDraft(symbol: "TESTUSDT", side: side, type: type, quantity: .amount(Decimal(string: quantity)!),
                   price: price.flatMap { Decimal(string: $0) }, stopPrice: stopPrice.flatMap { Decimal(string: $0) },
                   timeInForce: timeInForce, trailingDelta: trailingDelta)
    }

    static let cases: [Case] = [
        Case(name: "LIMIT defaults to GTC", draft: draft("LIMIT", price: "100"),
             sent: ["timeInForce": "GTC", "quantity": "0.00003", "price": "100"]),
        Case(name: "LIMIT keeps FOK", draft: draft("LIMIT", price: "100", timeInForce: "FOK"),
             sent: ["timeInForce": "FOK", "quantity": "0.00003", "price": "100"]),
        Case(name: "MARKET sends quantity only", draft: draft("MARKET"), sent: ["quantity": "0.00003"]),
        Case(name: "LIMIT_MAKER takes no time in force", draft: draft("LIMIT_MAKER", price: "100.1"),
             sent: ["quantity": "0.00003", "price": "100.1"]),
        Case(name: "STOP_LOSS sends its stop price", draft: draft("STOP_LOSS", stopPrice: "95.5"),
             sent: ["quantity": "0.00003", "stopPrice": "95.5"]),
        Case(name: "STOP_LOSS trailing without stop price", draft: draft("STOP_LOSS", trailingDelta: 150),
             sent: ["quantity": "0.00003", "trailingDelta": "150"]),
        Case(name: "STOP_LOSS_LIMIT sends both prices", draft: draft("STOP_LOSS_LIMIT", price: "95", stopPrice: "95.5"),
             sent: ["timeInForce": "GTC", "quantity": "0.00003", "price": "95", "stopPrice": "95.5"]),
        Case(name: "TAKE_PROFIT with stop and trailing",
             draft: draft("TAKE_PROFIT", stopPrice: "110", trailingDelta: 50),
             sent: ["quantity": "0.00003", "stopPrice": "110", "trailingDelta": "50"]),
        Case(name: "TAKE_PROFIT_LIMIT keeps IOC",
             draft: draft("TAKE_PROFIT_LIMIT", price: "111", stopPrice: "110", timeInForce: "IOC"),
             sent: ["timeInForce": "IOC", "quantity": "0.00003", "price": "111", "stopPrice": "110"]),
        // In binary floating point 0.1 + 0.2 is 0.30000000000000004 and 0.00001 * 3 is 3.0000000000000004e-05.
        Case(name: "price of 0.1 + 0.2 is on the tick",
             draft: OrderDraft(symbol: "TESTUSDT", side: "BUY", type: "LIMIT", quantity: .amount(Decimal(string: "0.00003")!),
                               price: Decimal(string: "0.1")! + Decimal(string: "0.2")!),
             sent: ["timeInForce": "GTC", "quantity": "0.00003", "price": "0.3"]),
        Case(name: "three steps of 0.00001",
             draft: OrderDraft(symbol: "TESTUSDT", side: "SELL", type: "MARKET",
                               quantity: .amount(Decimal(string: "0.00001")! * 3)),
             sent: ["quantity": "0.00003"]),
        Case(name: "price with many trailing zeros", draft: draft("LIMIT", price: "100.1000000000"),
             sent: ["timeInForce": "GTC", "quantity": "0.00003", "price": "100.1"]),
    ]

    @Test(arguments: cases)
    func sendsParametersOfItsType(_ testCase: Case) throws {
        let environment = OrderEnvironment(averagePrice: 100, freeBase: 10, freeQuote: 100_000)
        let order = try OrderCheck.check(testCase.draft, rules: Self.rules, environment: environment)
        let parameters = order.requestParameters(clientOrderID: nil)
        for name in ["timeInForce", "quantity", "quoteOrderQty", "price", "stopPrice", "trailingDelta", "icebergQty"] {
            #expect(parameters[name] == testCase.sent[name], "\(name)")
        }
        #expect(parameters["type"] == testCase.draft.type)
    }

    @Test func stopTypesNeedStopPriceOrTrailingDelta() {
        let environment = OrderEnvironment(averagePrice: 100, freeBase: 10, freeQuote: 100_000)
        for type in ["STOP_LOSS", "TAKE_PROFIT"] {
            do {
                _ = try OrderCheck.check(Self.draft(type), rules: Self.rules, environment: environment)
                Issue.record("\(type) without a trigger passed")
            } catch {
                #expect(error.message == "Missing stop_price: \(type) orders need a stop_price or a trailing_delta.")
                #expect(error.type == .validationError)
            }
        }
    }
}
