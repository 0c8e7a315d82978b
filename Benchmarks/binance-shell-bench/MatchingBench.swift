import BinanceAPI
import Foundation
import Tools

/// The simulator with many resting orders: placing limit orders as the book grows, and the cost of every later
/// request, since each request first checks the resting orders against the market.
enum MatchingBench {
    /// Binance allows 200 open orders per symbol (`MAX_NUM_ORDERS`), so the orders are spread over many symbols.
    static let ordersPerSymbol = 200

    static func run(restingOrders: Int, resource: String) async throws {
        let venue = try BenchVenue(
            startingBalances: ["USDT": 1_000_000_000],
            environment: ["MCP_RATE_LIMIT_ENABLED": "false"]
        )
        defer { venue.removeHome() }
        await venue.adoptExchangeLimits()
        let symbolCount = (restingOrders + ordersPerSymbol - 1) / ordersPerSymbol
        let rules = try candidateRules(resource: resource)
        var orders: [[String: JSONValue]] = []
        for rule in rules where orders.count < symbolCount {
            if let order = try await restingOrder(rule, venue: venue) { orders.append(order) }
        }
        guard orders.count == symbolCount else {
            throw BenchError("found \(orders.count) symbols for resting orders, \(symbolCount) needed")
        }

        let clock = ContinuousClock()
        let tickerArguments: [String: JSONValue] = ["symbol": .string("BTCUSDT")]
        var emptyBookTicker: [Double] = []
        for _ in 0..<200 {
            let started = clock.now
            try await venue.call("get_ticker_price", tickerArguments)
            emptyBookTicker.append(microseconds(clock.now - started))
        }

        var firstPlacements: [Double] = []
        var lastPlacements: [Double] = []
        for index in 0..<restingOrders {
            let started = clock.now
            try await venue.call("create_order", orders[index / ordersPerSymbol])
            let elapsed = microseconds(clock.now - started)
            if index < 200 { firstPlacements.append(elapsed) }
            if index >= restingOrders - 200 { lastPlacements.append(elapsed) }
        }
        let resting = venue.exchange.openOrderCount
        guard resting == restingOrders else { throw BenchError("\(resting) orders rest, \(restingOrders) expected") }

        var fullBookTicker: [Double] = []
        for _ in 0..<200 {
            let started = clock.now
            try await venue.call("get_ticker_price", tickerArguments)
            fullBookTicker.append(microseconds(clock.now - started))
        }
        report("matching: get_ticker_price, 0 resting orders", Sample(emptyBookTicker), unit: "µs", runs: "calls")
        report("matching: get_ticker_price, \(resting) resting orders", Sample(fullBookTicker), unit: "µs", runs: "calls")
        report("matching: create_order LIMIT, first 200 placed", Sample(firstPlacements), unit: "µs", runs: "calls")
        report("matching: create_order LIMIT, last 200 of \(resting)", Sample(lastPlacements), unit: "µs", runs: "calls")
    }

    /// USDT symbols that trade, take limit orders and allow at least `ordersPerSymbol` open orders.
    private static func candidateRules(resource: String) throws -> [SymbolRules] {
        let body = try Data(contentsOf: URL(fileURLWithPath: resource))
        let all = try JSONDecoder().decode(ExchangeRules.self, from: body).symbols
        return all.filter { rule in
            rule.quoteAsset == "USDT" && rule.status == "TRADING" && rule.orderTypes.contains("LIMIT")
                && (rule.filter("MAX_NUM_ORDERS")?.maxNumOrders ?? ordersPerSymbol) >= ordersPerSymbol
                && rule.tickSize > 0 && rule.stepSize > 0
        }
    }

    /// A GTC limit buy at about 85 % of the current price (inside the usual 0.8 PERCENT_PRICE bound), worth
    /// about twice the minimum notional, so it rests without filling; nil when the simulator has no price.
    private static func restingOrder(_ rule: SymbolRules, venue: BenchVenue) async throws -> [String: JSONValue]? {
        let ticker = try? await venue.call("get_ticker_price", ["symbol": .string(rule.symbol)])
        guard let text = ticker?.data?["price"]?.stringValue, let market = DecimalText.parse(text), market > 0 else {
            return nil
        }
        let price = multiple(of: rule.tickSize, nearest: market * Decimal(string: "0.85")!, rounding: .down)
        guard price > 0 else { return nil }
        let minimumNotional = rule.filter("NOTIONAL")?.minNotional?.value
            ?? rule.filter("MIN_NOTIONAL")?.minNotional?.value ?? 10
        var quantity = multiple(of: rule.stepSize, nearest: minimumNotional * 2 / price, rounding: .up)
        if let minimum = rule.filter("LOT_SIZE")?.minQty?.value, quantity < minimum { quantity = minimum }
        return [
            "symbol": .string(rule.symbol),
            "side": .string("BUY"),
            "order_type": .string("LIMIT"),
            "time_in_force": .string("GTC"),
            "quantity": .string(DecimalText.format(quantity)),
            "price": .string(DecimalText.format(price)),
        ]
    }

    private static func multiple(of step: Decimal, nearest value: Decimal, rounding: NSDecimalNumber.RoundingMode) -> Decimal {
        var quotient = value / step
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 0, rounding)
        return rounded * step
    }
}
