import BinanceAPI
import Foundation
import Testing
@testable import Tools

/// Filters the recorded spot symbols do not have, or have only with market orders exempt: legacy MIN_NOTIONAL,
/// PERCENT_PRICE, NOTIONAL maximums and a MARKET_LOT_SIZE with its own step, as USDⓈ-M futures publish them.
struct OrderCheckSyntheticTests {
    private static func value(_ text: String) -> DecimalValue { DecimalValue(Decimal(string: text)!) }

    /// A symbol priced around 100 with a 0.1 tick, a 0.001 step and the given extra filters.
    private static func rules(_ extra: [SymbolFilter]) -> SymbolRules {
        var price = SymbolFilter(filterType: "PRICE_FILTER")
        price.minPrice = value("0.1")
        price.maxPrice = value("100000")
        price.tickSize = value("0.1")
        var lot = SymbolFilter(filterType: "LOT_SIZE")
        lot.minQty = value("0.001")
        lot.maxQty = value("1000")
        lot.stepSize = value("0.001")
        return SymbolRules(
            symbol: "TESTUSDT", status: "TRADING", baseAsset: "TEST", quoteAsset: "USDT", baseAssetPrecision: 8,
            quoteAssetPrecision: 8, orderTypes: ["LIMIT", "MARKET", "LIMIT_MAKER", "TAKE_PROFIT_LIMIT"],
            quoteOrderQtyMarketAllowed: true, filters: [price, lot] + extra
        )
    }

    private static let environment = OrderEnvironment(averagePrice: 100, freeBase: 1000, freeQuote: 1_000_000)

    private static func message(_ draft: OrderDraft, _ rules: SymbolRules) -> String? {
        do {
            _ = try OrderCheck.check(draft, rules: rules, environment: environment)
            return nil
        } catch {
            return error.message
        }
    }

    private static func limit(_ quantity: String, at price: String) -> OrderDraft {
        OrderDraft(symbol: "TESTUSDT", side: "BUY", type: "LIMIT", quantity: .amount(Decimal(string: quantity)!),
                   price: Decimal(string: price)!)
    }

    private static func market(_ quantity: String) -> OrderDraft {
        OrderDraft(symbol: "TESTUSDT", side: "BUY", type: "MARKET", quantity: .amount(Decimal(string: quantity)!))
    }

    @Test func legacyMinimumNotionalSparesMarketOrders() {
        var filter = SymbolFilter(filterType: "MIN_NOTIONAL")
        filter.minNotional = Self.value("5")
        filter.applyToMarket = false
        let rules = Self.rules([filter])
        #expect(Self.message(Self.limit("0.01", at: "100"), rules)
            == "Invalid order value '1' USDT for TESTUSDT: below the minimum notional 5 USDT; the smallest valid quantity at price 100 is 0.05.")
        #expect(Self.message(Self.market("0.01"), rules) == nil)
    }

    @Test func futuresMinimumNotionalUsesItsOwnName() {
        var filter = SymbolFilter(filterType: "MIN_NOTIONAL")
        filter.notional = Self.value("100")
        let rules = Self.rules([filter])
        #expect(Self.message(Self.market("0.5"), rules)
            == "Invalid order value '50' USDT for TESTUSDT: below the minimum notional 100 USDT; the smallest valid quantity at price 100 is 1.")
    }

    @Test func maximumNotionalAppliesToMarketOnlyWhenFlagged() {
        var filter = SymbolFilter(filterType: "NOTIONAL")
        filter.minNotional = Self.value("1")
        filter.maxNotional = Self.value("1000")
        filter.applyMinToMarket = true
        filter.applyMaxToMarket = false
        #expect(Self.message(Self.limit("20", at: "100"), Self.rules([filter]))
            == "Invalid order value '2000' USDT for TESTUSDT: above the maximum notional 1000 USDT.")
        #expect(Self.message(Self.market("20"), Self.rules([filter])) == nil)
        filter.applyMaxToMarket = true
        #expect(Self.message(Self.market("20"), Self.rules([filter]))
            == "Invalid order value '2000' USDT for TESTUSDT: above the maximum notional 1000 USDT.")
    }

    @Test func percentPriceBoundsBothSides() {
        var filter = SymbolFilter(filterType: "PERCENT_PRICE")
        filter.multiplierUp = Self.value("1.05")
        filter.multiplierDown = Self.value("0.95")
        let rules = Self.rules([filter])
        #expect(Self.message(Self.limit("1", at: "105"), rules) == nil)
        #expect(Self.message(Self.limit("1", at: "105.1"), rules)
            == "Invalid price '105.1' for TESTUSDT: a BUY price must lie between 95 and 105 (0.95 to 1.05 times the average price 100).")
        #expect(Self.message(Self.limit("1", at: "94.9"), rules)
            == "Invalid price '94.9' for TESTUSDT: a BUY price must lie between 95 and 105 (0.95 to 1.05 times the average price 100).")
    }

    @Test func marketLotStepIsTheCoarserStep() {
        var filter = SymbolFilter(filterType: "MARKET_LOT_SIZE")
        filter.minQty = Self.value("0.01")
        filter.maxQty = Self.value("50")
        filter.stepSize = Self.value("0.01")
        let rules = Self.rules([filter])
        #expect(Self.message(Self.limit("0.005", at: "100"), rules) == nil)
        #expect(Self.message(Self.market("0.005"), rules)
            == "Invalid quantity '0.005' for TESTUSDT: not a multiple of the step size 0.01; the nearest valid quantity is 0.01.")
        #expect(Self.message(Self.market("51"), rules)
            == "Invalid quantity '51' for TESTUSDT: above the maximum market order quantity 50.")
    }

    @Test func limitMakerTakesNoTimeInForce() throws {
        let rules = Self.rules([])
        var draft = OrderDraft(symbol: "TESTUSDT", side: "SELL", type: "LIMIT_MAKER", quantity: .amount(1), price: 101)
        let order = try OrderCheck.check(draft, rules: rules, environment: Self.environment)
        #expect(order.timeInForce == nil)
        #expect(order.requestParameters(clientOrderID: nil)["timeInForce"] == nil)
        draft.timeInForce = "GTC"
        #expect(Self.message(draft, rules)
            == "Invalid time_in_force 'GTC' for a LIMIT_MAKER order: LIMIT_MAKER orders take no time_in_force.")
    }

    @Test func takeProfitLimitNeedsStopPriceAndDefaultsToGTC() throws {
        let rules = Self.rules([])
        var draft = OrderDraft(symbol: "TESTUSDT", side: "SELL", type: "TAKE_PROFIT_LIMIT", quantity: .amount(1), price: 110)
        #expect(Self.message(draft, rules) == "Missing stop_price: TAKE_PROFIT_LIMIT orders need a stop_price or a trailing_delta.")
        draft.stopPrice = 109
        let parameters = try OrderCheck.check(draft, rules: rules, environment: Self.environment)
            .requestParameters(clientOrderID: "tp-1")
        #expect(parameters["stopPrice"] == "109")
        #expect(parameters["timeInForce"] == "GTC")
    }

    @Test func precisionLimitsDecimalsWithoutTickOrStep() {
        var rules = Self.rules([])
        rules.filters = []
        rules.baseAssetPrecision = 4
        rules.quoteAssetPrecision = 2
        #expect(Self.message(Self.limit("1.2345", at: "100.25"), rules) == nil)
        #expect(Self.message(Self.limit("1.23456", at: "100.25"), rules)
            == "Invalid quantity '1.23456' for TESTUSDT: at most 4 decimal places are allowed for TEST.")
        #expect(Self.message(Self.limit("1", at: "100.255"), rules)
            == "Invalid price '100.255' for TESTUSDT: at most 2 decimal places are allowed for USDT.")
    }

    @Test func haltedSymbolTakesNoOrders() {
        var rules = Self.rules([])
        rules.status = "HALT"
        #expect(Self.message(Self.limit("1", at: "100"), rules) == "Symbol 'TESTUSDT' is not trading now (status HALT).")
    }
}
