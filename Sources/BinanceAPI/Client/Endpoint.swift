/// Which Binance API family an endpoint belongs to; each has its own base URL.
package enum Market: String, Sendable, Hashable {
    /// Spot `/api/v3/…`.
    case spot
    /// Wallet and account `/sapi/…`, served from the spot host.
    case wallet
    /// USDⓈ-M futures `/fapi/…`.
    case futures
}

/// Whether an endpoint needs the API key and a signature.
package enum Security: Sendable, Hashable {
    /// Public market data.
    case none
    /// `TRADE` and `USER_DATA`: `X-MBX-APIKEY`, `timestamp`, `recvWindow` and `signature`.
    case signed
}

/// What a request does, which decides how its unknown outcomes are handled.
package enum EndpointEffect: Sendable, Hashable {
    /// Reads state; safe to retry.
    case read
    /// Places an order; never sent twice.
    case placeOrder
    /// Cancels orders; may be repeated.
    case cancel
}

/// One Binance REST endpoint.
package struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    package let method: HTTPMethod
    package let path: String
    package let market: Market
    package let security: Security
    package let effect: EndpointEffect

    package init(_ method: HTTPMethod, _ path: String, market: Market, security: Security, effect: EndpointEffect = .read) {
        self.method = method
        self.path = path
        self.market = market
        self.security = security
        self.effect = effect
    }

    package var description: String { "\(method.rawValue) \(path)" }
}

extension Endpoint {
    // MARK: - Spot market data

    package static let ping = Endpoint(.get, "/api/v3/ping", market: .spot, security: .none)
    package static let time = Endpoint(.get, "/api/v3/time", market: .spot, security: .none)
    package static let exchangeInfo = Endpoint(.get, "/api/v3/exchangeInfo", market: .spot, security: .none)
    package static let tickerPrice = Endpoint(.get, "/api/v3/ticker/price", market: .spot, security: .none)
    package static let ticker24hr = Endpoint(.get, "/api/v3/ticker/24hr", market: .spot, security: .none)
    package static let bookTicker = Endpoint(.get, "/api/v3/ticker/bookTicker", market: .spot, security: .none)
    package static let depth = Endpoint(.get, "/api/v3/depth", market: .spot, security: .none)
    package static let trades = Endpoint(.get, "/api/v3/trades", market: .spot, security: .none)
    package static let klines = Endpoint(.get, "/api/v3/klines", market: .spot, security: .none)
    package static let avgPrice = Endpoint(.get, "/api/v3/avgPrice", market: .spot, security: .none)

    // MARK: - Spot account and orders

    package static let account = Endpoint(.get, "/api/v3/account", market: .spot, security: .signed)
    package static let newOrder = Endpoint(.post, "/api/v3/order", market: .spot, security: .signed, effect: .placeOrder)
    package static let testOrder = Endpoint(.post, "/api/v3/order/test", market: .spot, security: .signed)
    package static let queryOrder = Endpoint(.get, "/api/v3/order", market: .spot, security: .signed)
    package static let cancelOrder = Endpoint(.delete, "/api/v3/order", market: .spot, security: .signed, effect: .cancel)
    package static let openOrders = Endpoint(.get, "/api/v3/openOrders", market: .spot, security: .signed)
    package static let cancelOpenOrders = Endpoint(
        .delete,
        "/api/v3/openOrders",
        market: .spot,
        security: .signed,
        effect: .cancel
    )
    package static let allOrders = Endpoint(.get, "/api/v3/allOrders", market: .spot, security: .signed)
    package static let myTrades = Endpoint(.get, "/api/v3/myTrades", market: .spot, security: .signed)
    package static let commission = Endpoint(.get, "/api/v3/account/commission", market: .spot, security: .signed)
    package static let rateLimitOrder = Endpoint(.get, "/api/v3/rateLimit/order", market: .spot, security: .signed)

    // MARK: - Wallet (sapi)

    package static let tradeFee = Endpoint(.get, "/sapi/v1/asset/tradeFee", market: .wallet, security: .signed)
    package static let depositAddress = Endpoint(
        .get,
        "/sapi/v1/capital/deposit/address",
        market: .wallet,
        security: .signed
    )
    package static let depositHistory = Endpoint(
        .get,
        "/sapi/v1/capital/deposit/hisrec",
        market: .wallet,
        security: .signed
    )
    package static let withdrawHistory = Endpoint(
        .get,
        "/sapi/v1/capital/withdraw/history",
        market: .wallet,
        security: .signed
    )
    package static let accountSnapshot = Endpoint(.get, "/sapi/v1/accountSnapshot", market: .wallet, security: .signed)
    package static let apiRestrictions = Endpoint(
        .get,
        "/sapi/v1/account/apiRestrictions",
        market: .wallet,
        security: .signed
    )

    // MARK: - USDⓈ-M futures (fapi)

    package static let futuresExchangeInfo = Endpoint(.get, "/fapi/v1/exchangeInfo", market: .futures, security: .none)
    package static let premiumIndex = Endpoint(.get, "/fapi/v1/premiumIndex", market: .futures, security: .none)
    package static let positionRisk = Endpoint(.get, "/fapi/v3/positionRisk", market: .futures, security: .signed)
    package static let futuresAccount = Endpoint(.get, "/fapi/v2/account", market: .futures, security: .signed)
    package static let income = Endpoint(.get, "/fapi/v1/income", market: .futures, security: .signed)
    package static let forceOrders = Endpoint(.get, "/fapi/v1/forceOrders", market: .futures, security: .signed)

    /// Every endpoint the product may call. Nothing outside this list can be requested, and it holds
    /// no withdrawal or transfer endpoint.
    package static let catalogue: [Endpoint] = [
        .ping, .time, .exchangeInfo, .tickerPrice, .ticker24hr, .bookTicker, .depth, .trades, .klines, .avgPrice,
        .account, .newOrder, .testOrder, .queryOrder, .cancelOrder, .openOrders, .cancelOpenOrders, .allOrders,
        .myTrades, .commission, .rateLimitOrder,
        .tradeFee, .depositAddress, .depositHistory, .withdrawHistory, .accountSnapshot, .apiRestrictions,
        .futuresExchangeInfo, .premiumIndex, .positionRisk, .futuresAccount, .income, .forceOrders,
    ]
}
