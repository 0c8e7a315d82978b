import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// Real filters of real symbols, from the simulator's recorded exchangeInfo.
private let recordedRules: [String: SymbolRules] = {
    guard let info = try? JSONDecoder().decode(ExchangeInfo.self, from: ToolsFakeExchange.simulatorExchangeInfo) else {
        return [:]
    }
    return Dictionary(info.symbols.map { ($0.symbol, SymbolRules($0)) }, uniquingKeysWith: { first, _ in first })
}()

private func number(_ text: String) -> Decimal { Decimal(string: text)! }

/// BTCUSDT at an average price of 65000 with 0.1 BTC and 10000 USDT free.
private let btcEnvironment = OrderEnvironment(
    averagePrice: 65000, freeBase: number("0.1"), freeQuote: 10000, takerCommissionRate: number("0.001")
)

struct OrderCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var draft: OrderDraft
        var environment: OrderEnvironment = btcEnvironment
        /// The exact error message, or nil when the order passes.
        var error: String?
        var quantity: String?
        var price: String?
        var testDescription: String { name }
    }

    static func limit(_ quantity: String, at price: String, symbol: String = "BTCUSDT", roundsDown: Bool = false,
                      side: String = "BUY") -> OrderDraft {
        OrderDraft(symbol: symbol, side: side, type: "LIMIT", quantity: .amount(number(quantity)),
                   price: number(price), roundsDown: roundsDown)
    }

    static func sellLimit(_ quantity: String, at price: String) -> OrderDraft {
        limit(quantity, at: price, side: "SELL")
    }

    static func market(_ quantity: OrderDraft.Quantity?, quote: String? = nil, side: String = "BUY") -> OrderDraft {
        OrderDraft(symbol: "BTCUSDT", side: side, type: "MARKET", quantity: quantity,
                   quoteOrderQuantity: quote.map(number))
    }

    static let cases: [Case] = [
        Case(name: "plain limit passes", draft: limit("0.001", at: "65000"), quantity: "0.001", price: "65000"),
        Case(name: "0.1 + 0.2 is on the step", draft: OrderDraft(
            symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.1") + number("0.2")),
            price: 30000), quantity: "0.3", price: "30000"),
        Case(name: "steps of 0.00001 are exact", draft: limit("0.00017", at: "65000"), quantity: "0.00017"),
        Case(name: "quantity off the step", draft: limit("0.123456", at: "65000"),
             error: "Invalid quantity '0.123456' for BTCUSDT: not a multiple of the step size 0.00001; the nearest valid quantities are 0.12345 and 0.12346."),
        Case(name: "quantity rounded down on request", draft: limit("0.123456", at: "65000", roundsDown: true),
             quantity: "0.12345"),
        Case(name: "quantity below the step has one neighbour", draft: limit("0.000001", at: "65000"),
             error: "Invalid quantity '0.000001' for BTCUSDT: not a multiple of the step size 0.00001; the nearest valid quantity is 0.00001."),
        Case(name: "price off the tick", draft: limit("0.001", at: "65000.005"),
             error: "Invalid price '65000.005' for BTCUSDT: not a multiple of the tick size 0.01; the nearest valid prices are 65000 and 65000.01."),
        Case(name: "price with many decimals rounded down", draft: limit("0.001", at: "65000.123456789", roundsDown: true),
             price: "65000.12"),
        Case(name: "quantity above LOT_SIZE maximum", draft: sellLimit("9001", at: "65000"),
             error: "Invalid quantity '9001' for BTCUSDT: above the maximum quantity 9000."),
        Case(name: "MARKET quantity above MARKET_LOT_SIZE maximum", draft: market(.amount(170)),
             error: "Invalid quantity '170' for BTCUSDT: above the maximum market order quantity 169.00949758."),
        Case(name: "value below the minimum notional", draft: limit("0.0001", at: "65000"),
             error: "Invalid order value '6.5' USDT for BTCUSDT: below the minimum notional 10 USDT; the smallest valid quantity at price 65000 is 0.00016."),
        Case(name: "MARKET value below the minimum notional", draft: market(.amount(number("0.0001"))),
             error: "Invalid order value '6.5' USDT for BTCUSDT: below the minimum notional 10 USDT; the smallest valid quantity at price 65000 is 0.00016."),
        Case(name: "quote amount below the minimum notional", draft: market(nil, quote: "5"),
             error: "Invalid order value '5' USDT for BTCUSDT: below the minimum notional 10 USDT."),
        Case(name: "quote amount with too many decimals", draft: market(nil, quote: "10.123456789"),
             error: "Invalid quote_order_qty '10.123456789' for BTCUSDT: at most 8 decimal places are allowed for USDT."),
        Case(name: "BUY price far below the average", draft: limit("0.001", at: "10000"),
             error: "Invalid price '10000' for BTCUSDT: a BUY price must lie between 13000 and 325000 (0.2 to 5 times the average price 65000)."),
        Case(name: "SELL price far above the average", draft: sellLimit("0.001", at: "400000"),
             error: "Invalid price '400000' for BTCUSDT: a SELL price must lie between 13000 and 325000 (0.2 to 5 times the average price 65000)."),
        Case(name: "BUY beyond the free quote balance", draft: limit("0.2", at: "65000"),
             error: "Insufficient balance: the order needs 13000 USDT but 10000 USDT is free."),
        Case(name: "MARKET BUY beyond the free quote balance", draft: market(.amount(number("0.2"))),
             error: "Insufficient balance: the order needs about 13000 USDT but 10000 USDT is free."),
        Case(name: "SELL beyond the free base balance", draft: sellLimit("0.2", at: "65000"),
             error: "Insufficient balance: the order sells 0.2 BTC but 0.1 BTC is free."),
        Case(name: "SELL all is floored to the step", draft: market(.all, side: "SELL"),
             environment: OrderEnvironment(averagePrice: 65000, freeBase: number("0.123456789"), freeQuote: 0),
             quantity: "0.12345"),
        Case(name: "SELL all of a dust balance", draft: market(.all, side: "SELL"),
             environment: OrderEnvironment(averagePrice: 65000, freeBase: number("0.000001"), freeQuote: 0),
             error: "Invalid quantity 'all' for BTCUSDT: the free balance 0.000001 BTC floored to the step size 0.00001 is 0, below the minimum quantity 0.00001."),
        Case(name: "BUY all is rejected", draft: market(.all),
             error: "Invalid quantity 'all' for a BUY order: 'all' sells the whole free balance, so only SELL orders take it."),
        Case(name: "LIMIT without price", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(1)),
             error: "Missing price: LIMIT orders need a price."),
        Case(name: "LIMIT without quantity", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", price: 65000),
             error: "Missing quantity: LIMIT orders need a quantity."),
        Case(name: "MARKET without any amount", draft: market(nil),
             error: "Missing quantity: MARKET orders need quantity or quote_order_qty."),
        Case(name: "MARKET with both amounts", draft: market(.amount(1), quote: "100"),
             error: "Invalid MARKET order: give quantity or quote_order_qty, not both."),
        Case(name: "MARKET with a price", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "MARKET",
                                                            quantity: .amount(number("0.001")), price: 65000),
             error: "Invalid price '65000' for a MARKET order: MARKET orders take no price; remove it."),
        Case(name: "MARKET with time in force", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "MARKET",
                                                                  quantity: .amount(number("0.001")), timeInForce: "GTC"),
             error: "Invalid time_in_force 'GTC' for a MARKET order: MARKET orders take no time_in_force."),
        Case(name: "LIMIT with a stop price", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT",
                                                                quantity: .amount(number("0.001")), price: 65000, stopPrice: 64000),
             error: "Invalid stop_price '64000' for a LIMIT order: LIMIT orders take no stop_price; remove it."),
        Case(name: "LIMIT with a quote amount", draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT",
                                                                  quantity: .amount(number("0.001")), quoteOrderQuantity: 100,
                                                                  price: 65000),
             error: "Invalid quote_order_qty '100' for a LIMIT order: only MARKET orders take quote_order_qty."),
        Case(name: "STOP_LOSS_LIMIT without stop price", draft: OrderDraft(
            symbol: "BTCUSDT", side: "SELL", type: "STOP_LOSS_LIMIT", quantity: .amount(number("0.001")), price: 60000),
             error: "Missing stop_price: STOP_LOSS_LIMIT orders need a stop_price or a trailing_delta."),
        Case(name: "order type the symbol lacks", draft: OrderDraft(
            symbol: "BTCUSDT", side: "SELL", type: "STOP_LOSS", quantity: .amount(number("0.001")), stopPrice: 60000),
             error: "Invalid order_type 'STOP_LOSS' for BTCUSDT: allowed types are LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT."),
        Case(name: "stop price off the tick", draft: OrderDraft(
            symbol: "BTCUSDT", side: "SELL", type: "STOP_LOSS_LIMIT", quantity: .amount(number("0.001")),
            price: 60000, stopPrice: number("60000.001")),
             error: "Invalid stop_price '60000.001' for BTCUSDT: not a multiple of the tick size 0.01; the nearest valid prices are 60000 and 60000.01."),
        Case(name: "SHIB price of eight decimals", draft: limit("1000000", at: "0.00001234", symbol: "SHIBUSDT"),
             environment: OrderEnvironment(averagePrice: number("0.000012"), freeBase: 0, freeQuote: 10000),
             quantity: "1000000", price: "0.00001234"),
        Case(name: "SHIB price off an eight-decimal tick", draft: limit("1000000", at: "0.000012345", symbol: "SHIBUSDT"),
             environment: OrderEnvironment(averagePrice: number("0.000012"), freeBase: 0, freeQuote: 10000),
             error: "Invalid price '0.000012345' for SHIBUSDT: not a multiple of the tick size 0.00000001; the nearest valid prices are 0.00001234 and 0.00001235."),
        Case(name: "SHIB fractional quantity", draft: limit("1000000.5", at: "0.00001234", symbol: "SHIBUSDT"),
             environment: OrderEnvironment(averagePrice: number("0.000012"), freeBase: 0, freeQuote: 10000),
             error: "Invalid quantity '1000000.5' for SHIBUSDT: not a multiple of the step size 1; the nearest valid quantities are 1000000 and 1000001."),
        Case(name: "ETHBTC 0.1 + 0.2 quantity", draft: OrderDraft(
            symbol: "ETHBTC", side: "SELL", type: "LIMIT", quantity: .amount(number("0.1") + number("0.2")),
            price: number("0.05123")),
             environment: OrderEnvironment(averagePrice: number("0.05"), freeBase: 1, freeQuote: 0),
             quantity: "0.3", price: "0.05123"),
        Case(name: "1INCHUSDT lot of 0.1", draft: limit("100.15", at: "0.5", symbol: "1INCHUSDT"),
             environment: OrderEnvironment(averagePrice: number("0.5"), freeBase: 0, freeQuote: 1000),
             error: "Invalid quantity '100.15' for 1INCHUSDT: not a multiple of the step size 0.1; the nearest valid quantities are 100.1 and 100.2."),
    ]

    @Test(arguments: cases)
    func checksOrder(_ testCase: Case) throws {
        let rules = try #require(recordedRules[testCase.draft.symbol])
        do {
            let order = try OrderCheck.check(testCase.draft, rules: rules, environment: testCase.environment)
            #expect(testCase.error == nil, "passed, expected: \(testCase.error ?? "")")
            if let quantity = testCase.quantity { #expect(order.quantity.map(DecimalText.format) == quantity) }
            if let price = testCase.price { #expect(order.price.map(DecimalText.format) == price) }
        } catch {
            #expect(error.message == testCase.error)
        }
    }

    @Test func filterViolationsHaveTheirType() throws {
        let rules = try #require(recordedRules["BTCUSDT"])
        #expect(throws: ToolError.self) { try OrderCheck.check(Self.limit("0.123456", at: "65000"), rules: rules, environment: btcEnvironment) }
        do {
            _ = try OrderCheck.check(Self.limit("0.123456", at: "65000"), rules: rules, environment: btcEnvironment)
        } catch {
            #expect(error.type == .filterViolation)
            #expect(error.details["nearest"] == ["0.12345", "0.12346"])
        }
    }

    @Test func roundingReportsBothValues() throws {
        let rules = try #require(recordedRules["BTCUSDT"])
        let order = try OrderCheck.check(Self.limit("0.123456", at: "65000.019", roundsDown: true), rules: rules,
                                         environment: btcEnvironment)
        #expect(order.adjustments.count == 2)
        #expect(order.adjustments.map(\.parameter) == ["price", "quantity"])
        #expect(order.adjustments.map(\.requested) == ["65000.019", "0.123456"])
        #expect(order.adjustments.map(\.adjusted) == [number("65000.01"), number("0.12345")])
    }

    @Test func limitDefaultsToGoodTillCanceled() throws {
        let rules = try #require(recordedRules["BTCUSDT"])
        let order = try OrderCheck.check(Self.limit("0.001", at: "65000"), rules: rules, environment: btcEnvironment)
        let parameters = order.requestParameters(clientOrderID: "abc")
        #expect(parameters["timeInForce"] == "GTC")
        #expect(parameters["quantity"] == "0.001")
        #expect(parameters["price"] == "65000")
        #expect(parameters["newClientOrderId"] == "abc")
    }

    @Test func stopOrdersSendStopPrice() throws {
        let rules = try #require(recordedRules["BTCUSDT"])
        let draft = OrderDraft(symbol: "BTCUSDT", side: "SELL", type: "STOP_LOSS_LIMIT", quantity: .amount(number("0.001")),
                               price: 60000, stopPrice: number("60500.5"), timeInForce: "IOC")
        let parameters = try OrderCheck.check(draft, rules: rules, environment: btcEnvironment)
            .requestParameters(clientOrderID: nil)
        #expect(parameters["stopPrice"] == "60500.5")
        #expect(parameters["timeInForce"] == "IOC")
        #expect(parameters["newClientOrderId"] == nil)
    }

    @Test func marketOrderNotionalIsAnEstimate() throws {
        let rules = try #require(recordedRules["BTCUSDT"])
        let order = try OrderCheck.check(Self.market(.amount(number("0.001"))), rules: rules, environment: btcEnvironment)
        #expect(order.notional == 65)
        #expect(order.isNotionalEstimated)
        #expect(order.timeInForce == nil)
    }
}
