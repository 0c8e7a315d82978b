import BinanceAPI
import Foundation
import Simulator

extension SimTestClient {
    /// A made-up symbol with the legacy MIN_NOTIONAL and PERCENT_PRICE filters and a small MAX_NUM_ORDERS,
    /// for filter cases the recorded exchangeInfo does not contain.
    package static let legacyFilterSymbol = """
        {"symbol":"LEGACYUSDT","status":"TRADING","baseAsset":"LEGACY","baseAssetPrecision":8,"quoteAsset":"USDT",\
        "quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET"],\
        "icebergAllowed":true,"quoteOrderQtyMarketAllowed":true,"isSpotTradingAllowed":true,"filters":[\
        {"filterType":"PRICE_FILTER","minPrice":"0.00100000","maxPrice":"100000.00000000","tickSize":"0.00100000"},\
        {"filterType":"LOT_SIZE","minQty":"0.01000000","maxQty":"100000.00000000","stepSize":"0.01000000"},\
        {"filterType":"MIN_NOTIONAL","minNotional":"10.00000000","applyToMarket":true,"avgPriceMins":5},\
        {"filterType":"PERCENT_PRICE","multiplierUp":"1.5","multiplierDown":"0.5","avgPriceMins":5},\
        {"filterType":"MAX_NUM_ORDERS","maxNumOrders":3}],"permissions":["SPOT"]}
        """

    /// A made-up symbol that allows 20,000 open orders, for matching at scale.
    package static let deepBookSymbol = """
        {"symbol":"DEEPUSDT","status":"TRADING","baseAsset":"DEEP","baseAssetPrecision":8,"quoteAsset":"USDT",\
        "quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","MARKET"],\
        "quoteOrderQtyMarketAllowed":true,"isSpotTradingAllowed":true,"filters":[\
        {"filterType":"PRICE_FILTER","minPrice":"0.00010000","maxPrice":"100000.00000000","tickSize":"0.00010000"},\
        {"filterType":"LOT_SIZE","minQty":"0.10000000","maxQty":"1000000.00000000","stepSize":"0.10000000"},\
        {"filterType":"MAX_NUM_ORDERS","maxNumOrders":20000}],"permissions":["SPOT"]}
        """

    /// Places an order with the given parameters and returns the response.
    package func order(_ parameters: [(String, String)]) async -> HTTPResponse {
        await signed(.post, "/api/v3/order", parameters)
    }

    /// Fetches the current price of `symbol` from the exchange.
    package func price(_ symbol: String) async -> Decimal {
        let response = await get("/api/v3/ticker/price", [("symbol", symbol)])
        let text = (Self.json(response) as? [String: Any])?["price"] as? String
        return text.flatMap { DecimalText.parse($0) } ?? 0
    }

    /// Free and locked balance of `asset` as the account endpoint reports it.
    package func balance(_ asset: String) async -> (free: Decimal, locked: Decimal) {
        let response = await signed(.get, "/api/v3/account")
        let balances = (Self.json(response) as? [String: Any])?["balances"] as? [[String: Any]] ?? []
        guard let entry = balances.first(where: { $0["asset"] as? String == asset }) else { return (0, 0) }
        return (
            DecimalText.parse(entry["free"] as? String ?? "") ?? 0,
            DecimalText.parse(entry["locked"] as? String ?? "") ?? 0
        )
    }
}

/// Rounds `value` down to a multiple of `step`, for building order prices in tests.
package func simFloor(_ value: Decimal, _ step: Decimal) -> Decimal {
    DecimalText.floor(value, toMultipleOf: step)
}
