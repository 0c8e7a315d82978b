import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// The recorded rules of real symbols. BTCUSDT has ICEBERG_PARTS 10, TRAILING_DELTA 10 to 2000 both ways,
/// MAX_NUM_ORDERS 200 and MAX_NUM_ALGO_ORDERS 5.
private let limitRules: [String: SymbolRules] = {
    guard let info = try? JSONDecoder().decode(ExchangeInfo.self, from: ToolsFakeExchange.simulatorExchangeInfo) else {
        return [:]
    }
    return Dictionary(info.symbols.map { ($0.symbol, SymbolRules($0)) }, uniquingKeysWith: { first, _ in first })
}()

private func number(_ text: String) -> Decimal { Decimal(string: text)! }

/// ICEBERG_PARTS, TRAILING_DELTA, MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS and the STP mode, checked before the order
/// leaves, with the value and the rule in every message.
struct OrderLimitCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var draft: OrderDraft
        var openOrders: Int? = nil
        var openAlgoOrders: Int? = nil
        /// The exact error message, or nil when the order passes.
        var error: String?
        var iceberg: String? = nil
        var testDescription: String { name }
    }

    static func iceberg(_ visible: String, quantity: String = "0.01", type: String = "LIMIT", timeInForce: String? = nil,
                        roundsDown: Bool = false) -> OrderDraft {
        OrderDraft(symbol: "BTCUSDT", side: "BUY", type: type, quantity: .amount(number(quantity)),
                   price: type == "MARKET" ? nil : 60000, timeInForce: timeInForce, icebergQuantity: number(visible),
                   roundsDown: roundsDown)
    }

    static func trailing(_ delta: Int, side: String = "SELL", type: String = "STOP_LOSS_LIMIT",
                         stopPrice: Decimal? = nil) -> OrderDraft {
        OrderDraft(symbol: "BTCUSDT", side: side, type: type, quantity: .amount(number("0.001")),
                   price: type.hasSuffix("LIMIT") ? 60000 : nil, stopPrice: stopPrice, trailingDelta: delta)
    }

    static func restingLimit() -> OrderDraft {
        OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.001")), price: 60000)
    }

    static let cases: [Case] = [
        // ICEBERG_PARTS: parts are ceil(quantity / iceberg_qty), at most 10 on BTCUSDT.
        Case(name: "iceberg of ten parts passes", draft: iceberg("0.001"), iceberg: "0.001"),
        Case(name: "iceberg of 0.01 + 0.02 is on the step",
             draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.1")), price: 60000,
                               icebergQuantity: number("0.01") + number("0.02")),
             iceberg: "0.03"),
        Case(name: "iceberg of eleven parts", draft: iceberg("0.0009"),
             error: "Invalid iceberg_qty '0.0009' for BTCUSDT: the order would show in 12 parts, but ICEBERG_PARTS allows at most 10; the smallest valid iceberg_qty for quantity 0.01 is 0.001."),
        Case(name: "iceberg parts round up", draft: iceberg("0.00099"),
             error: "Invalid iceberg_qty '0.00099' for BTCUSDT: the order would show in 11 parts, but ICEBERG_PARTS allows at most 10; the smallest valid iceberg_qty for quantity 0.01 is 0.001."),
        Case(name: "iceberg off the step", draft: iceberg("0.0012345"),
             error: "Invalid iceberg_qty '0.0012345' for BTCUSDT: not a multiple of the step size 0.00001; the nearest valid quantities are 0.00123 and 0.00124."),
        Case(name: "iceberg rounded down on request", draft: iceberg("0.0012345", roundsDown: true), iceberg: "0.00123"),
        Case(name: "iceberg as large as the order", draft: iceberg("0.01"),
             error: "Invalid iceberg_qty '0.01' for BTCUSDT: it must be less than the quantity 0.01."),
        Case(name: "iceberg on a MARKET order", draft: iceberg("0.001", type: "MARKET"),
             error: "Invalid iceberg_qty '0.001' for a MARKET order: only LIMIT, LIMIT_MAKER, STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT orders take iceberg_qty."),
        Case(name: "iceberg with IOC", draft: iceberg("0.001", timeInForce: "IOC"),
             error: "Invalid time_in_force 'IOC' for an iceberg order: orders with iceberg_qty must be GTC."),

        // TRAILING_DELTA: 10 to 2000 basis points on BTCUSDT.
        Case(name: "trailing stop without stop price", draft: trailing(100)),
        Case(name: "trailing stop with stop price", draft: trailing(100, stopPrice: 61000)),
        Case(name: "trailing delta at the lower bound", draft: trailing(10)),
        Case(name: "trailing delta below a fall's bound", draft: trailing(9),
             error: "Invalid trailing_delta '9' for a SELL STOP_LOSS_LIMIT order on BTCUSDT: TRAILING_DELTA allows 10 to 2000 basis points for orders that trigger on a fall."),
        Case(name: "trailing delta above a rise's bound", draft: trailing(2001, side: "BUY"),
             error: "Invalid trailing_delta '2001' for a BUY STOP_LOSS_LIMIT order on BTCUSDT: TRAILING_DELTA allows 10 to 2000 basis points for orders that trigger on a rise."),
        Case(name: "take profit SELL triggers on a rise", draft: trailing(5, type: "TAKE_PROFIT_LIMIT"),
             error: "Invalid trailing_delta '5' for a SELL TAKE_PROFIT_LIMIT order on BTCUSDT: TRAILING_DELTA allows 10 to 2000 basis points for orders that trigger on a rise."),
        Case(name: "trailing delta on a LIMIT order",
             draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.001")),
                               price: 60000, trailingDelta: 100),
             error: "Invalid trailing_delta '100' for a LIMIT order: only STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT and TAKE_PROFIT_LIMIT orders trail; remove it."),

        // MAX_NUM_ORDERS 200 and MAX_NUM_ALGO_ORDERS 5 on BTCUSDT.
        Case(name: "199 open orders leave room", draft: restingLimit(), openOrders: 199),
        Case(name: "200 open orders are the maximum", draft: restingLimit(), openOrders: 200,
             error: "Invalid order on BTCUSDT: 200 orders are open and MAX_NUM_ORDERS allows at most 200."),
        Case(name: "MARKET orders do not rest",
             draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: .amount(number("0.001"))),
             openOrders: 200),
        Case(name: "four open stops leave room", draft: trailing(100), openOrders: 4, openAlgoOrders: 4),
        Case(name: "five open stops are the maximum", draft: trailing(100), openOrders: 5, openAlgoOrders: 5,
             error: "Invalid STOP_LOSS_LIMIT order on BTCUSDT: 5 stop and take-profit orders are open and MAX_NUM_ALGO_ORDERS allows at most 5."),
        Case(name: "open stops do not limit LIMIT orders", draft: restingLimit(), openOrders: 5, openAlgoOrders: 5),
        Case(name: "unknown counts skip the check", draft: restingLimit(), openOrders: nil),

        // Self-trade prevention modes the symbol lists.
        Case(name: "listed STP mode passes",
             draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.001")),
                               price: 60000, selfTradePreventionMode: "EXPIRE_BOTH")),
        Case(name: "unlisted STP mode",
             draft: OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: .amount(number("0.001")),
                               price: 60000, selfTradePreventionMode: "DECREMENT"),
             error: "Invalid self_trade_prevention_mode 'DECREMENT' for BTCUSDT: allowed modes are NONE, EXPIRE_TAKER, EXPIRE_MAKER, EXPIRE_BOTH."),
    ]

    @Test(arguments: cases)
    func checksLimits(_ testCase: Case) throws {
        let rules = try #require(limitRules[testCase.draft.symbol])
        let environment = OrderEnvironment(
            averagePrice: 65000, freeBase: number("0.1"), freeQuote: 10000,
            openOrderCount: testCase.openOrders, openAlgoOrderCount: testCase.openAlgoOrders
        )
        do {
            let order = try OrderCheck.check(testCase.draft, rules: rules, environment: environment)
            #expect(testCase.error == nil, "passed, expected: \(testCase.error ?? "")")
            if let iceberg = testCase.iceberg { #expect(order.icebergQuantity.map(DecimalText.format) == iceberg) }
        } catch {
            #expect(error.message == testCase.error)
        }
    }

    @Test func limitViolationsAreFilterViolations() throws {
        let rules = try #require(limitRules["BTCUSDT"])
        let environment = OrderEnvironment(averagePrice: 65000, freeBase: 1, freeQuote: 100_000, openOrderCount: 200)
        for draft in [Self.restingLimit(), Self.iceberg("0.0009"), Self.trailing(9)] {
            do {
                _ = try OrderCheck.check(draft, rules: rules, environment: environment)
                Issue.record("\(draft) passed")
            } catch {
                #expect(error.type == .filterViolation, "\(error.message)")
            }
        }
    }

    @Test func detailsReachRequestParameters() throws {
        let rules = try #require(limitRules["BTCUSDT"])
        var draft = Self.iceberg("0.002")
        draft.selfTradePreventionMode = "EXPIRE_MAKER"
        let order = try OrderCheck.check(draft, rules: rules, environment: OrderEnvironment(averagePrice: 65000))
        let parameters = order.requestParameters(clientOrderID: nil)
        #expect(parameters["icebergQty"] == "0.002")
        #expect(parameters["selfTradePreventionMode"] == "EXPIRE_MAKER")
        #expect(order.json["icebergQty"] == "0.002")

        let trailing = try OrderCheck.check(Self.trailing(150), rules: rules, environment: OrderEnvironment(averagePrice: 65000))
        #expect(trailing.requestParameters(clientOrderID: nil)["trailingDelta"] == "150")
        #expect(trailing.requestParameters(clientOrderID: nil)["stopPrice"] == nil)
        #expect(trailing.json["trailingDelta"] == 150)
    }

    @Test func openOrderCountsNeededOnlyForRestingOrders() throws {
        let rules = try #require(limitRules["BTCUSDT"])
        #expect(OrderCheck.needsOpenOrderCounts(Self.restingLimit(), rules: rules))
        #expect(OrderCheck.needsOpenOrderCounts(Self.trailing(100), rules: rules))
        let market = OrderDraft(symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: .amount(1))
        #expect(!OrderCheck.needsOpenOrderCounts(market, rules: rules))
        var unlimited = rules
        unlimited.filters.removeAll { $0.filterType.hasPrefix("MAX_NUM") }
        #expect(!OrderCheck.needsOpenOrderCounts(Self.restingLimit(), rules: unlimited))
    }
}
