import BinanceAPI
import Foundation

/// A scripted exchange for tool tests: answers each `METHOD path` with a canned Binance payload (the
/// documented examples under the shared fixtures where they exist) and records every request it receives.
///
/// Tests replace single routes to produce rejections, unknown outcomes or particular balances.
package actor ToolsFakeExchange: HTTPTransport {
    package typealias Route = @Sendable (HTTPRequest) -> HTTPResponse

    private var routes: [String: Route] = [:]
    private var failures: [String: TransportError] = [:]
    package private(set) var requests: [HTTPRequest] = []

    package init() {
        routes = Self.defaultRoutes()
    }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        requests.append(request)
        if let failure = failures["\(request.method.rawValue) \(request.path)"] { throw failure }
        guard let route = routes["\(request.method.rawValue) \(request.path)"] else {
            return HTTPResponse(status: 404, body: Data(#"{"code":-1000,"msg":"No route in the fake exchange."}"#.utf8))
        }
        return route(request)
    }

    /// Replaces the response to `method path`.
    package func route(_ method: HTTPMethod, _ path: String, _ route: @escaping Route) {
        routes["\(method.rawValue) \(path)"] = route
    }

    /// Responds to `method path` with a fixed status and JSON body.
    package func respond(_ method: HTTPMethod, _ path: String, status: Int = 200, json: String) {
        routes["\(method.rawValue) \(path)"] = { _ in HTTPResponse(status: status, body: Data(json.utf8)) }
    }

    /// Makes every request to `method path` fail in transport with `error`.
    package func fail(_ method: HTTPMethod, _ path: String, with error: TransportError) {
        failures["\(method.rawValue) \(path)"] = error
    }

    /// Counts the requests sent to `path` with `method`.
    package func count(_ method: HTTPMethod, _ path: String) -> Int {
        requests.filter { $0.method == method && $0.path == path }.count
    }

    /// Returns the decoded query parameters of every request sent to `path`, oldest first.
    package func parameters(sentTo path: String, method: HTTPMethod? = nil) -> [[String: String]] {
        requests.filter { $0.path == path && (method == nil || $0.method == method) }.map(\.toolsDecodedParameters)
    }

    // MARK: - Canned payloads

    static func defaultRoutes() -> [String: Route] {
        var routes: [String: Route] = [:]
        func fixed(_ method: String, _ path: String, _ body: Data) {
            routes["\(method) \(path)"] = { _ in HTTPResponse(status: 200, body: body) }
        }
        fixed("GET", "/api/v3/exchangeInfo", trimmedExchangeInfo)
        routes["GET /api/v3/ticker/price"] = { request in
            let symbol = request.toolsDecodedParameters["symbol"] ?? "BTCUSDT"
            return json(#"{"symbol":"\#(symbol)","price":"65000.01000000"}"#)
        }
        fixed("GET", "/api/v3/ticker/24hr", fixture("ticker_24hr.json"))
        fixed("GET", "/api/v3/depth", fixture("depth.json"))
        fixed("GET", "/api/v3/klines", fixture("klines.json"))
        fixed("GET", "/api/v3/trades", fixture("trades.json"))
        fixed("GET", "/api/v3/avgPrice", Data(#"{"mins":5,"price":"65000.00000000","closeTime":1694061154503}"#.utf8))
        fixed("GET", "/api/v3/account", Data(account.utf8))
        fixed("POST", "/api/v3/order", fixture("order_new_full.json"))
        fixed("POST", "/api/v3/order/test", Data("{}".utf8))
        fixed("GET", "/api/v3/order", fixture("order_query.json"))
        fixed("DELETE", "/api/v3/order", fixture("order_cancel.json"))
        fixed("GET", "/api/v3/openOrders", fixture("openOrders.json"))
        fixed("DELETE", "/api/v3/openOrders", Data("[\(String(decoding: fixture("order_cancel.json"), as: UTF8.self))]".utf8))
        fixed("GET", "/api/v3/allOrders", fixture("allOrders.json"))
        fixed("GET", "/api/v3/myTrades", fixture("myTrades.json"))
        fixed("GET", "/api/v3/account/commission", fixture("account_commission.json"))
        fixed("GET", "/sapi/v1/asset/tradeFee", fixture("sapi_asset_tradeFee.json"))
        fixed("GET", "/sapi/v1/capital/deposit/address", fixture("sapi_capital_deposit_address.json"))
        fixed("GET", "/sapi/v1/capital/deposit/hisrec", fixture("sapi_capital_deposit_hisrec.json"))
        fixed("GET", "/sapi/v1/capital/withdraw/history", fixture("sapi_capital_withdraw_history.json"))
        fixed("GET", "/sapi/v1/accountSnapshot", Data(snapshot.utf8))
        fixed("GET", "/fapi/v1/exchangeInfo", Data(futuresExchangeInfo.utf8))
        fixed("GET", "/fapi/v1/premiumIndex", Data(premiumIndex.utf8))
        fixed("GET", "/fapi/v3/positionRisk", fixture("fapi_v3_positionRisk.json"))
        fixed("GET", "/fapi/v2/account", Data(futuresAccount.utf8))
        fixed("GET", "/fapi/v1/income", fixture("fapi_v1_income.json"))
        fixed("GET", "/fapi/v1/forceOrders", Data(forceOrders.utf8))
        return routes
    }

    static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, body: Data(text.utf8))
    }

    /// Reads a file under the shared Binance fixtures.
    package static func fixture(_ name: String) -> Data {
        let url = BinaryRunner.packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/binance/\(name)")
        return (try? Data(contentsOf: url)) ?? Data("null".utf8)
    }

    /// The simulator's recorded exchangeInfo: real symbols with their real filters.
    package static let simulatorExchangeInfo: Data = {
        let url = BinaryRunner.packageRoot.appendingPathComponent("Sources/Simulator/Resources/exchangeInfo.json")
        return (try? Data(contentsOf: url)) ?? Data("null".utf8)
    }()

    /// The recorded exchangeInfo cut down to a few symbols, so each test's cache fills quickly.
    package static let trimmedExchangeInfo: Data = {
        let kept: Set<String> = ["BTCUSDT", "ETHUSDT", "ETHBTC", "BNBUSDT", "SHIBUSDT", "1INCHUSDT", "LTCBTC", "BNBBTC"]
        guard var root = try? JSONSerialization.jsonObject(with: simulatorExchangeInfo) as? [String: Any],
            let symbols = root["symbols"] as? [[String: Any]]
        else { return simulatorExchangeInfo }
        root["symbols"] = symbols.filter { kept.contains($0["symbol"] as? String ?? "") }
        return (try? JSONSerialization.data(withJSONObject: root)) ?? simulatorExchangeInfo
    }()

    static let account = """
        {"makerCommission":10,"takerCommission":10,"buyerCommission":0,"sellerCommission":0,
        "commissionRates":{"maker":"0.00100000","taker":"0.00100000","buyer":"0.00000000","seller":"0.00000000"},
        "canTrade":true,"canWithdraw":true,"canDeposit":true,"updateTime":1700000000000,"accountType":"SPOT",
        "balances":[{"asset":"BTC","free":"0.10000000","locked":"0.00000000"},
        {"asset":"ETH","free":"0.00000000","locked":"0.00000000"},
        {"asset":"USDT","free":"10000.00000000","locked":"250.00000000"}],"permissions":["SPOT"],"uid":1}
        """

    static let snapshot = """
        {"code":200,"msg":"","snapshotVos":[{"type":"spot","updateTime":1576281599000,
        "data":{"totalAssetOfBtc":"0.09942700","balances":[{"asset":"BTC","free":"0.09905021","locked":"0.00000000"}]}}]}
        """

    static let futuresExchangeInfo = """
        {"timezone":"UTC","serverTime":1700000000000,"symbols":[{"symbol":"BTCUSDT","pair":"BTCUSDT",
        "contractType":"PERPETUAL","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT",
        "pricePrecision":2,"quantityPrecision":3,"baseAssetPrecision":8,"quotePrecision":8,
        "orderTypes":["LIMIT","MARKET","STOP","STOP_MARKET","TAKE_PROFIT","TAKE_PROFIT_MARKET","TRAILING_STOP_MARKET"],
        "filters":[{"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
        {"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"1000","minQty":"0.001"},
        {"filterType":"MARKET_LOT_SIZE","stepSize":"0.001","maxQty":"120","minQty":"0.001"},
        {"filterType":"MAX_NUM_ORDERS","limit":200},{"filterType":"MIN_NOTIONAL","notional":"100"},
        {"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"}]}]}
        """

    static let premiumIndex = """
        {"symbol":"BTCUSDT","markPrice":"65010.50000000","indexPrice":"65005.12000000",
        "estimatedSettlePrice":"65001.00000000","lastFundingRate":"0.00010000","interestRate":"0.00010000",
        "nextFundingTime":1700006400000,"time":1700000000000}
        """

    static let futuresAccount = """
        {"totalWalletBalance":"1000.00000000","totalUnrealizedProfit":"12.50000000","totalMarginBalance":"1012.50000000",
        "assets":[],"positions":[]}
        """

    static let forceOrders = """
        [{"orderId":6071832819,"symbol":"BTCUSDT","status":"FILLED","clientOrderId":"autoclose-1596107620040000020",
        "price":"10871.09","avgPrice":"10913.21000","origQty":"0.001","executedQty":"0.001","cumQuote":"10.91321",
        "timeInForce":"IOC","type":"LIMIT","reduceOnly":false,"closePosition":false,"side":"SELL","positionSide":"BOTH",
        "stopPrice":"0","workingType":"CONTRACT_PRICE","origType":"LIMIT","time":1596107620044,"updateTime":1596107620087}]
        """
}

extension HTTPRequest {
    /// Returns the query string and the form body decoded into name–value pairs; a repeated name keeps its
    /// last value.
    package var toolsDecodedParameters: [String: String] {
        var values: [String: String] = [:]
        let text = body.isEmpty ? query : query + "&" + String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            values[name] = value
        }
        return values
    }
}
