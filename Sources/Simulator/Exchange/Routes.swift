import BinanceAPI
import Foundation

/// One endpoint the simulator serves.
struct SimRoute: Sendable {
    typealias Handler = @Sendable (ExchangeEngine, ReceivedParameters, inout RequestContext) throws(APIFailure) -> [UInt8]

    var family: RateLimiter.Family
    var signed: Bool
    /// Weight counted when the parameters cannot be read.
    var baseWeight: Int
    var weightRule: @Sendable (ReceivedParameters) -> Int
    /// Parameters the endpoint reads, besides `timestamp`, `recvWindow` and `signature` of signed endpoints.
    var parameters: Set<String>
    /// True for order placement and cancels, whose weight Binance refunds when they succeed (since April 2026).
    var freeWhenSuccessful = false
    var handler: Handler

    init(
        _ family: RateLimiter.Family,
        signed: Bool,
        weight: Int,
        weightRule: (@Sendable (ReceivedParameters) -> Int)? = nil,
        parameters: Set<String> = [],
        handler: @escaping Handler
    ) {
        self.family = family
        self.signed = signed
        baseWeight = weight
        self.weightRule = weightRule ?? { _ in weight }
        self.parameters = parameters
        self.handler = handler
    }

    func weight(_ parameters: ReceivedParameters) -> Int { weightRule(parameters) }
}

/// The routing table: path, then method.
enum Routes {
    static let table: [String: [HTTPMethod: SimRoute]] = {
        var table = [String: [HTTPMethod: SimRoute]]()
        func add(_ method: HTTPMethod, _ path: String, _ route: SimRoute) { table[path, default: [:]][method] = route }

        // Spot market data.
        add(.get, "/api/v3/ping", SimRoute(.spot, signed: false, weight: 1) { _, _, _ throws(APIFailure) in Array("{}".utf8) })
        add(.get, "/api/v3/time", SimRoute(.spot, signed: false, weight: 1) { _, _, context throws(APIFailure) in
            WireJSON.object([("serverTime", .int(context.time))]).bytes
        })
        add(.get, "/api/v3/exchangeInfo", SimRoute(
            .spot, signed: false, weight: 20,
            parameters: ["symbol", "symbols", "permissions", "showPermissionSets", "symbolStatus"]
        ) { engine, parameters, context throws(APIFailure) in try engine.exchangeInfo(parameters, at: context.time) })
        add(.get, "/api/v3/ticker/price", SimRoute(
            .spot, signed: false, weight: 2, weightRule: { $0.has("symbol") ? 2 : 4 }, parameters: ["symbol", "symbols"]
        ) { engine, parameters, context throws(APIFailure) in try engine.tickerPrice(parameters, at: context.time) })
        add(.get, "/api/v3/ticker/24hr", SimRoute(
            .spot, signed: false, weight: 2, weightRule: Routes.ticker24hrWeight, parameters: ["symbol", "symbols", "type"]
        ) { engine, parameters, context throws(APIFailure) in try engine.ticker24hr(parameters, at: context.time) })
        add(.get, "/api/v3/ticker/bookTicker", SimRoute(
            .spot, signed: false, weight: 2, weightRule: { $0.has("symbol") ? 2 : 4 }, parameters: ["symbol", "symbols"]
        ) { engine, parameters, context throws(APIFailure) in try engine.bookTicker(parameters, at: context.time) })
        add(.get, "/api/v3/depth", SimRoute(
            .spot, signed: false, weight: 5, weightRule: Routes.depthWeight, parameters: ["symbol", "limit"]
        ) { engine, parameters, context throws(APIFailure) in try engine.depth(parameters, at: context.time) })
        add(.get, "/api/v3/trades", SimRoute(.spot, signed: false, weight: 25, parameters: ["symbol", "limit"]) {
            engine, parameters, context throws(APIFailure) in try engine.recentTrades(parameters, at: context.time)
        })
        add(.get, "/api/v3/klines", SimRoute(
            .spot, signed: false, weight: 2, parameters: ["symbol", "interval", "startTime", "endTime", "limit", "timeZone"]
        ) { engine, parameters, context throws(APIFailure) in try engine.klines(parameters, at: context.time) })
        add(.get, "/api/v3/avgPrice", SimRoute(.spot, signed: false, weight: 2, parameters: ["symbol"]) {
            engine, parameters, context throws(APIFailure) in try engine.averagePrice(parameters, at: context.time)
        })

        // Spot account and orders.
        add(.get, "/api/v3/account", SimRoute(.spot, signed: true, weight: 20, parameters: ["omitZeroBalances"]) {
            engine, parameters, context throws(APIFailure) in try engine.account(parameters, at: context.time)
        })
        var newOrder = SimRoute(.spot, signed: true, weight: 1, parameters: Routes.orderParameters) {
            engine, parameters, context throws(APIFailure) in try engine.placeOrder(parameters, context: &context, test: false)
        }
        newOrder.freeWhenSuccessful = true
        add(.post, "/api/v3/order", newOrder)
        add(.post, "/api/v3/order/test", SimRoute(
            .spot, signed: true, weight: 1,
            weightRule: { $0["computeCommissionRates"] == "true" ? 20 : 1 },
            parameters: Routes.orderParameters.union(["computeCommissionRates"])
        ) { engine, parameters, context throws(APIFailure) in try engine.placeOrder(parameters, context: &context, test: true) })
        add(.get, "/api/v3/order", SimRoute(.spot, signed: true, weight: 4, parameters: ["symbol", "orderId", "origClientOrderId"]) {
            engine, parameters, _ throws(APIFailure) in try engine.queryOrder(parameters)
        })
        var cancel = SimRoute(
            .spot, signed: true, weight: 1,
            parameters: ["symbol", "orderId", "origClientOrderId", "newClientOrderId", "cancelRestrictions"]
        ) { engine, parameters, context throws(APIFailure) in try engine.cancelOrder(parameters, at: context.time, fillFirst: context.fillBeforeCancel) }
        cancel.freeWhenSuccessful = true
        add(.delete, "/api/v3/order", cancel)
        add(.get, "/api/v3/openOrders", SimRoute(
            .spot, signed: true, weight: 6, weightRule: { $0.has("symbol") ? 6 : 80 }, parameters: ["symbol"]
        ) { engine, parameters, _ throws(APIFailure) in try engine.openOrders(parameters) })
        var cancelAll = SimRoute(.spot, signed: true, weight: 1, parameters: ["symbol"]) {
            engine, parameters, context throws(APIFailure) in try engine.cancelOpenOrders(parameters, at: context.time)
        }
        cancelAll.freeWhenSuccessful = true
        add(.delete, "/api/v3/openOrders", cancelAll)
        add(.get, "/api/v3/allOrders", SimRoute(
            .spot, signed: true, weight: 20, parameters: ["symbol", "orderId", "startTime", "endTime", "limit"]
        ) { engine, parameters, _ throws(APIFailure) in try engine.allOrders(parameters) })
        add(.get, "/api/v3/myTrades", SimRoute(
            .spot, signed: true, weight: 20, weightRule: { $0.has("orderId") ? 5 : 20 },
            parameters: ["symbol", "orderId", "startTime", "endTime", "fromId", "limit"]
        ) { engine, parameters, _ throws(APIFailure) in try engine.myTrades(parameters) })
        add(.get, "/api/v3/account/commission", SimRoute(.spot, signed: true, weight: 20, parameters: ["symbol"]) {
            engine, parameters, _ throws(APIFailure) in try engine.commission(parameters)
        })
        add(.get, "/api/v3/rateLimit/order", SimRoute(.spot, signed: true, weight: 40) {
            engine, _, context throws(APIFailure) in engine.orderRateLimits(at: context.time)
        })

        // Wallet.
        add(.get, "/sapi/v1/asset/tradeFee", SimRoute(.wallet, signed: true, weight: 1, parameters: ["symbol"]) {
            engine, parameters, _ throws(APIFailure) in try engine.tradeFee(parameters)
        })
        add(.get, "/sapi/v1/capital/deposit/address", SimRoute(
            .wallet, signed: true, weight: 10, parameters: ["coin", "network", "amount"]
        ) { engine, parameters, _ throws(APIFailure) in try engine.depositAddress(parameters) })
        add(.get, "/sapi/v1/capital/deposit/hisrec", SimRoute(
            .wallet, signed: true, weight: 1,
            parameters: ["coin", "status", "startTime", "endTime", "offset", "limit", "txId", "includeSource"]
        ) { engine, parameters, context throws(APIFailure) in try engine.depositHistory(parameters, at: context.time) })
        add(.get, "/sapi/v1/capital/withdraw/history", SimRoute(
            .walletAccount, signed: true, weight: 18_000,
            parameters: ["coin", "withdrawOrderId", "status", "offset", "limit", "idList", "startTime", "endTime"]
        ) { engine, parameters, context throws(APIFailure) in try engine.withdrawHistory(parameters, at: context.time) })
        add(.get, "/sapi/v1/accountSnapshot", SimRoute(
            .wallet, signed: true, weight: 2400, parameters: ["type", "startTime", "endTime", "limit"]
        ) { engine, parameters, context throws(APIFailure) in try engine.accountSnapshot(parameters, at: context.time) })
        add(.get, "/sapi/v1/account/apiRestrictions", SimRoute(.wallet, signed: true, weight: 1) {
            engine, _, _ throws(APIFailure) in engine.apiRestrictions()
        })

        // USD-M futures.
        add(.get, "/fapi/v1/exchangeInfo", SimRoute(.futures, signed: false, weight: 1) {
            engine, _, context throws(APIFailure) in engine.futuresExchangeInfo(at: context.time)
        })
        add(.get, "/fapi/v1/premiumIndex", SimRoute(.futures, signed: false, weight: 1, parameters: ["symbol"]) {
            engine, parameters, context throws(APIFailure) in try engine.premiumIndex(parameters, at: context.time)
        })
        for path in ["/fapi/v2/positionRisk", "/fapi/v3/positionRisk"] {
            add(.get, path, SimRoute(.futures, signed: true, weight: 5, parameters: ["symbol"]) {
                engine, parameters, context throws(APIFailure) in
                try engine.positionRisk(parameters, at: context.time, version3: path.hasPrefix("/fapi/v3"))
            })
        }
        for path in ["/fapi/v2/account", "/fapi/v3/account"] {
            add(.get, path, SimRoute(.futures, signed: true, weight: 5) { engine, _, context throws(APIFailure) in
                engine.futuresAccount(at: context.time, version3: path.hasPrefix("/fapi/v3"))
            })
        }
        add(.get, "/fapi/v1/income", SimRoute(
            .futures, signed: true, weight: 30,
            parameters: ["symbol", "incomeType", "startTime", "endTime", "page", "limit"]
        ) { engine, parameters, context throws(APIFailure) in try engine.income(parameters, at: context.time) })
        add(.get, "/fapi/v1/forceOrders", SimRoute(
            .futures, signed: true, weight: 20,
            weightRule: { $0.has("symbol") ? 20 : 50 },
            parameters: ["symbol", "autoCloseType", "startTime", "endTime", "limit"]
        ) { engine, parameters, _ throws(APIFailure) in try engine.forceOrders(parameters) })
        return table
    }()

    static let orderParameters: Set<String> = [
        "symbol", "side", "type", "timeInForce", "quantity", "quoteOrderQty", "price", "newClientOrderId",
        "strategyId", "strategyType", "stopPrice", "trailingDelta", "icebergQty", "newOrderRespType",
        "selfTradePreventionMode",
    ]

    static func ticker24hrWeight(_ parameters: ReceivedParameters) -> Int {
        if parameters.has("symbol") { return 2 }
        guard let text = parameters["symbols"] else { return 80 }
        let count = text.split(separator: ",").count
        switch count {
        case ...20: return 2
        case ...100: return 40
        default: return 80
        }
    }

    static func depthWeight(_ parameters: ReceivedParameters) -> Int {
        let limit = Int(parameters["limit"] ?? "100") ?? 100
        switch limit {
        case ...100: return 5
        case ...500: return 25
        case ...1000: return 50
        default: return 250
        }
    }
}
