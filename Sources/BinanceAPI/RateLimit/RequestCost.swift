/// The amounts one request counts against Binance's limits.
package struct RequestCost: Sendable, Equatable {
    /// Request weight charged when the request fails (and, for most endpoints, when it succeeds).
    package var weight: Int
    /// Request weight charged when the request succeeds. Since 2026-04-02 Binance charges nothing for a
    /// successful order placement or cancel, while a failed one still pays `weight`.
    package var weightOnSuccess: Int
    /// New orders this request adds to the unfilled-order count (`ORDERS` limit).
    package var orders: Int

    package init(weight: Int, weightOnSuccess: Int? = nil, orders: Int = 0) {
        self.weight = weight
        self.weightOnSuccess = weightOnSuccess ?? weight
        self.orders = orders
    }
}

extension Endpoint {
    /// Returns the weight and order count of a request to this endpoint with `parameters`.
    ///
    /// Spot weights follow Binance's REST API reference (2026 revision), including the ones that depend on
    /// parameters: depth `limit`, tickers with or without `symbol`/`symbols`, openOrders with or without
    /// `symbol`, myTrades with `orderId`, and order/test with `computeCommissionRates`. A `/sapi` weight is
    /// IP or UID weight as `limitScope` defines, and counts only against that endpoint's own budget.
    package func cost(for parameters: RequestParameters) -> RequestCost {
        switch self {
        case .ping, .time: return RequestCost(weight: 1)
        case .klines, .avgPrice: return RequestCost(weight: 2)
        case .exchangeInfo: return RequestCost(weight: 20)
        case .tickerPrice, .bookTicker: return RequestCost(weight: parameters["symbol"] == nil ? 4 : 2)
        case .ticker24hr: return RequestCost(weight: Self.ticker24hrWeight(parameters))
        case .depth: return RequestCost(weight: Self.depthWeight(limit: parameters["limit"]))
        case .trades: return RequestCost(weight: 25)
        case .account, .allOrders, .commission: return RequestCost(weight: 20)
        case .newOrder: return RequestCost(weight: 1, weightOnSuccess: 0, orders: 1)
        case .testOrder: return RequestCost(weight: parameters["computeCommissionRates"] == "true" ? 20 : 1)
        case .queryOrder: return RequestCost(weight: 4)
        case .cancelOrder, .cancelOpenOrders: return RequestCost(weight: 1, weightOnSuccess: 0)
        case .openOrders: return RequestCost(weight: parameters["symbol"] == nil ? 80 : 6)
        case .myTrades: return RequestCost(weight: parameters["orderId"] == nil ? 20 : 5)
        case .rateLimitOrder: return RequestCost(weight: 40)
        case .tradeFee, .depositHistory, .apiRestrictions: return RequestCost(weight: 1)
        case .depositAddress: return RequestCost(weight: 10)
        // UID weight, counted against the endpoint's own 180,000 a minute (see `LimitScope`).
        case .withdrawHistory: return RequestCost(weight: 18_000)
        case .accountSnapshot: return RequestCost(weight: 2400)
        case .futuresExchangeInfo: return RequestCost(weight: 1)
        case .premiumIndex: return RequestCost(weight: parameters["symbol"] == nil ? 10 : 1)
        case .positionRisk, .futuresAccount: return RequestCost(weight: 5)
        case .income: return RequestCost(weight: 30)
        case .forceOrders: return RequestCost(weight: parameters["symbol"] == nil ? 50 : 20)
        default: return RequestCost(weight: 1)
        }
    }

    /// Depth weight by `limit` (default 100): 1-100 → 5, 101-500 → 25, 501-1000 → 50, 1001-5000 → 250.
    static func depthWeight(limit: String?) -> Int {
        let value = limit.flatMap { Int($0) } ?? 100
        switch value {
        case ...100: return 5
        case 101...500: return 25
        case 501...1000: return 50
        default: return 250
        }
    }

    /// 24-hour ticker weight: one `symbol` → 2; `symbols` by count (1-20 → 2, 21-100 → 40, more → 80);
    /// neither → 80.
    static func ticker24hrWeight(_ parameters: RequestParameters) -> Int {
        if parameters["symbol"] != nil { return 2 }
        guard let list = parameters["symbols"] else { return 80 }
        // `symbols` is a JSON array such as ["BTCUSDT","ETHUSDT"]; counting commas avoids parsing it.
        let count = list.filter { $0 == "," }.count + 1
        switch count {
        case ...20: return 2
        case 21...100: return 40
        default: return 80
        }
    }
}
