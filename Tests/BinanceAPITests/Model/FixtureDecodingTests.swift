import BinanceAPI
import Foundation
import TestSupport
import Testing

/// Which model decodes each recorded Binance payload.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    let file: String
    let decode: @Sendable (Data) throws -> Void

    var testDescription: String { file }

    static func of<Model: Decodable & Sendable>(_ file: String, _ type: Model.Type) -> FixtureCase {
        FixtureCase(file: file) { data in _ = try JSONDecoder().decode(Model.self, from: data) }
    }

    static let all: [FixtureCase] = [
        .of("account.json", Account.self),
        .of("account_ccxt.json", Account.self),
        .of("account_commission.json", CommissionRates.self),
        .of("aggTrades_BTCUSDT_ccxt.json", [AggregateTrade].self),
        .of("allOrders.json", [Order].self),
        .of("allOrders_LTCUSDT_canceled_ccxt.json", [Order].self),
        .of("avgPrice.json", AveragePrice.self),
        .of("depth.json", OrderBook.self),
        .of("depth_BTCUSDT_limit2_ccxt.json", OrderBook.self),
        .of("error_cancel_rejected_restrictions.json", ErrorResponse.self),
        .of("error_cancel_restrictions_invalid.json", ErrorResponse.self),
        .of("error_invalid_symbol.json", ErrorResponse.self),
        .of("errors_catalogue.json", ErrorCatalogue.self),
        .of("exchangeInfo.json", ExchangeInfo.self),
        .of("exchangeInfo_symbols_ccxt_verbatim.json", [SymbolInfo].self),
        .of("fapi_v1_income.json", [IncomeRecord].self),
        .of("fapi_v3_positionRisk.json", [PositionRisk].self),
        .of("fapi_v3_positionRisk_ccxt.json", [PositionRisk].self),
        FixtureCase(file: "filters_docs_examples.json") { data in _ = try docsFilterExamples(data) },
        .of("klines.json", [Kline].self),
        .of("klines_BTCUSDT_1h_ccxt.json", [Kline].self),
        .of("myTrades.json", [MyTrade].self),
        .of("myTrades_LTCUSDT_ccxt.json", [MyTrade].self),
        .of("openOrders.json", [Order].self),
        .of("openOrders_LTCUSDT_ccxt.json", [Order].self),
        .of("order_cancel.json", Order.self),
        .of("order_new_ack.json", Order.self),
        .of("order_new_full.json", Order.self),
        .of("order_new_limit_iceberg_SOLUSDT_ccxt.json", Order.self),
        .of("order_new_result.json", Order.self),
        .of("order_query.json", Order.self),
        .of("order_query_LTCUSDT_market_filled_ccxt.json", Order.self),
        .of("order_test_commission.json", TestOrderCommission.self),
        .of("order_test_empty.json", EmptyResponse.self),
        .of("ping.json", EmptyResponse.self),
        .of("rateLimit_order.json", [RateLimitRule].self),
        .of("sapi_asset_assetDetail.json", [String: AssetDetail].self),
        .of("sapi_asset_tradeFee.json", [TradeFee].self),
        .of("sapi_capital_deposit_address.json", DepositAddress.self),
        .of("sapi_capital_deposit_address_USDT_TRC20_ccxt.json", DepositAddress.self),
        .of("sapi_capital_deposit_hisrec.json", [DepositRecord].self),
        .of("sapi_capital_withdraw_history.json", [WithdrawRecord].self),
        .of("ticker_24hr.json", Ticker24h.self),
        .of("ticker_24hr_BTCUSDT_ccxt.json", Ticker24h.self),
        .of("ticker_24hr_list.json", [Ticker24h].self),
        .of("ticker_24hr_mini.json", Ticker24h.self),
        .of("ticker_price.json", TickerPrice.self),
        .of("ticker_price_list.json", [TickerPrice].self),
        .of("time.json", ServerTime.self),
        .of("trades.json", [Trade].self),
    ]

    /// Files that are not response payloads.
    static let notResponses: Set<String> = ["requests.json"]
}

/// Decodes the docs' filter examples (an object keyed by filter name) as one symbol's filter list.
func docsFilterExamples(_ data: Data) throws -> SymbolFilters {
    let examples = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let list = try JSONSerialization.data(withJSONObject: Array(examples.values))
    return try JSONDecoder().decode(SymbolFilters.self, from: list)
}

/// `errors_catalogue.json`: a note plus named `{http, body}` entries.
struct ErrorCatalogue: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        let http: Int
        let body: ErrorResponse
    }

    let entries: [String: Entry]

    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: DiscardableEntry].self)
        entries = raw.compactMapValues(\.entry)
    }

    /// An entry, or nil for the `_note` string.
    struct DiscardableEntry: Decodable, Sendable {
        let entry: Entry?

        init(from decoder: any Decoder) throws {
            entry = try? Entry(from: decoder)
        }
    }
}

@Suite struct FixtureDecodingTests {
    @Test(arguments: FixtureCase.all)
    func fixtureDecodes(_ fixture: FixtureCase) throws {
        let data = try APIFixtures.binance(fixture.file)

        try fixture.decode(data)
    }

    @Test func everyFixtureFileHasACase() throws {
        let covered = Set(FixtureCase.all.map(\.file)).union(FixtureCase.notResponses)

        let missing = try APIFixtures.binanceJSONNames().filter { !covered.contains($0) }

        #expect(missing == [])
    }
}
