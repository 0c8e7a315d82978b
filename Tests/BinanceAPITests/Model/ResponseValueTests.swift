import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct ResponseValueTests {
    func decode<Model: Decodable>(_ type: Model.Type, _ file: String) throws -> Model {
        try JSONDecoder().decode(Model.self, from: APIFixtures.binance(file))
    }

    func decimal(_ text: String) -> DecimalValue {
        DecimalValue(DecimalText.parse(text, allowNegative: true)!)
    }

    @Test func fullOrderResponseKeepsFillsAndDecimals() throws {
        let order = try decode(Order.self, "order_new_full.json")

        #expect(order.orderId == 28)
        #expect(order.orderListId == -1)
        #expect(order.transactTime == 1_507_725_176_595)
        #expect(order.executedQty == decimal("10"))
        #expect(order.status == "FILLED")
        #expect(order.isFinal)
        let fills = try #require(order.fills)
        #expect(fills.count == 5)
        #expect(fills[1].price == decimal("3999"))
        #expect(fills[1].commission == decimal("19.995"))
        #expect(fills[4].tradeId == 60)
    }

    @Test func ackOrderHasOnlyIdentifiers() throws {
        let order = try decode(Order.self, "order_new_ack.json")

        #expect(order.clientOrderId == "6gCrw2kRUAF9CvJDGP16IP")
        #expect(order.status == nil)
        #expect(order.price == nil)
        #expect(order.fills == nil)
        #expect(!order.isFinal)
    }

    @Test func ccxtStringIntegersDecodeAsNumbers() throws {
        let order = try decode(Order.self, "order_new_limit_iceberg_SOLUSDT_ccxt.json")
        let account = try decode(Account.self, "account_ccxt.json")
        let book = try decode(OrderBook.self, "depth_BTCUSDT_limit2_ccxt.json")

        #expect(order.orderId == 9_780_331_417)
        #expect(order.orderListId == -1)
        #expect(order.icebergQty == decimal("0.03"))
        #expect(order.fills == [])
        #expect(account.uid == 365_859_102)
        #expect(account.makerCommission == 10)
        #expect(account.updateTime == 1_701_856_395_927)
        #expect(book.lastUpdateId == 25_445_101)
        #expect(book.bids.first?.price == decimal("42574.3"))
        #expect(book.asks.last?.quantity == decimal("0.00893"))
    }

    @Test func klineArraysDecodeByPosition() throws {
        let klines = try decode([Kline].self, "klines_BTCUSDT_1h_ccxt.json")

        #expect(klines.count == 3)
        #expect(klines[0].openTime == 1_706_630_400_000)
        #expect(klines[0].open == decimal("43519.34"))
        #expect(klines[0].close == decimal("43488.71"))
        #expect(klines[0].closeTime == 1_706_633_999_999)
        #expect(klines[0].tradeCount == 3743)
        #expect(klines[0].takerBuyQuoteVolume == decimal("473782.9573992"))
    }

    @Test func exchangeInfoFiltersAreTyped() throws {
        let info = try decode(ExchangeInfo.self, "exchangeInfo.json")
        let symbol = try #require(info.symbol("BTCUSDT"))

        #expect(info.rateLimits.count == 4)
        #expect(info.rateLimits[0].rateLimitType == "REQUEST_WEIGHT")
        #expect(info.rateLimits[0].limit == 6000)
        #expect(symbol.filters.priceFilter?.tickSize == decimal("0.01"))
        #expect(symbol.filters.lotSize?.stepSize == decimal("0.00001"))
        #expect(symbol.filters.marketLotSize?.maxQty == decimal("128.52621715"))
        #expect(symbol.filters.icebergParts?.limit == 10)
        #expect(symbol.filters.trailingDelta?.maxTrailingBelowDelta == 2000)
        #expect(symbol.filters.notional?.minNotional == decimal("5"))
        #expect(symbol.filters.notional?.applyMinToMarket == true)
        #expect(symbol.filters.percentPriceBySide?.askMultiplierUp == decimal("5"))
        #expect(symbol.filters.maxNumOrders?.maxNumOrders == 200)
        #expect(symbol.filters.maxNumAlgoOrders?.maxNumAlgoOrders == 5)
    }

    @Test func docsFilterExamplesFillEveryTypedFilter() throws {
        let filters = try docsFilterExamples(APIFixtures.binance("filters_docs_examples.json"))

        #expect(filters.priceFilter?.minPrice == decimal("0.000001"))
        #expect(filters.lotSize?.minQty == decimal("0.001"))
        #expect(filters.marketLotSize?.maxQty == decimal("100000"))
        #expect(filters.minNotional?.applyToMarket == true)
        #expect(filters.notional?.maxNotional == decimal("10000"))
        #expect(filters.percentPrice?.multiplierUp == decimal("1.3"))
        #expect(filters.percentPriceBySide?.bidMultiplierDown == decimal("0.2"))
        #expect(filters.icebergParts?.limit == 10)
        #expect(filters.maxNumOrders?.maxNumOrders == 25)
        #expect(filters.maxNumAlgoOrders?.maxNumAlgoOrders == 5)
        #expect(filters.trailingDelta?.minTrailingAboveDelta == 10)
    }

    @Test func incomeTradeIdAcceptsEmptyTextAndNumbers() throws {
        let records = try decode([IncomeRecord].self, "fapi_v1_income.json")
        let numeric = try JSONDecoder().decode(
            IncomeRecord.self,
            from: Data(
                #"{"symbol":"BTCUSDT","incomeType":"COMMISSION","income":"-0.01","asset":"USDT","info":"","time":1,"tranId":"2","tradeId":123}"#
                    .utf8
            )
        )

        #expect(records[0].tradeId == "")
        #expect(records[0].income == decimal("-0.375"))
        #expect(numeric.tradeId == "123")
        #expect(numeric.tranId == 2)
    }

    @Test func futuresAccountAndMarkPriceDecodeDocsShapes() throws {
        let account = try JSONDecoder().decode(FuturesAccount.self, from: Data(Self.futuresAccountJSON.utf8))
        let premium = try JSONDecoder().decode(PremiumIndex.self, from: Data(Self.premiumIndexJSON.utf8))
        let forced = try JSONDecoder().decode([ForceOrder].self, from: Data(Self.forceOrdersJSON.utf8))
        let snapshot = try JSONDecoder().decode(AccountSnapshot.self, from: Data(Self.snapshotJSON.utf8))

        #expect(account.totalWalletBalance == decimal("103.12345678"))
        #expect(account.assets.first?.asset == "USDT")
        #expect(account.positions?.first?.leverage == 20)
        #expect(premium.lastFundingRate == decimal("0.00038246"))
        #expect(premium.nextFundingTime == 1_597_392_000_000)
        #expect(forced.first?.avgPrice == decimal("0.00388359"))
        #expect(forced.first?.origType == "LIMIT")
        #expect(snapshot.snapshotVos.first?.data.balances?.first?.free == decimal("0.09905021"))
    }

    static let futuresAccountJSON = """
        {"feeTier":0,"canTrade":true,"canDeposit":true,"canWithdraw":true,"updateTime":0,
         "multiAssetsMargin":false,"totalInitialMargin":"0.00000000","totalMaintMargin":"0.00000000",
         "totalWalletBalance":"103.12345678","totalUnrealizedProfit":"0.00000000",
         "totalMarginBalance":"103.12345678","totalPositionInitialMargin":"0.00000000",
         "totalOpenOrderInitialMargin":"0.00000000","totalCrossWalletBalance":"103.12345678",
         "totalCrossUnPnl":"0.00000000","availableBalance":"103.12345678","maxWithdrawAmount":"103.12345678",
         "assets":[{"asset":"USDT","walletBalance":"23.72469206","unrealizedProfit":"0.00000000",
           "marginBalance":"23.72469206","maintMargin":"0.00000000","initialMargin":"0.00000000",
           "positionInitialMargin":"0.00000000","openOrderInitialMargin":"0.00000000",
           "crossWalletBalance":"23.72469206","crossUnPnl":"0.00000000","availableBalance":"23.72469206",
           "maxWithdrawAmount":"23.72469206","marginAvailable":true,"updateTime":1625474304765}],
         "positions":[{"symbol":"BTCUSDT","initialMargin":"0","maintMargin":"0","unrealizedProfit":"0.00000000",
           "positionInitialMargin":"0","openOrderInitialMargin":"0","leverage":"20","isolated":true,
           "entryPrice":"0.00000","maxNotional":"250000","bidNotional":"0","askNotional":"0",
           "positionSide":"BOTH","positionAmt":"0","updateTime":0}]}
        """

    static let premiumIndexJSON = """
        {"symbol":"BTCUSDT","markPrice":"11793.63104562","indexPrice":"11781.80495970",
         "estimatedSettlePrice":"11781.16138815","lastFundingRate":"0.00038246","interestRate":"0.00010000",
         "nextFundingTime":1597392000000,"time":1597370495002}
        """

    static let forceOrdersJSON = """
        [{"orderId":6071832819,"symbol":"BTCUSDT","status":"FILLED","clientOrderId":"autoclose-1596107620040000020",
          "price":"10871.09","avgPrice":"0.00388359","origQty":"0.001","executedQty":"0.001","cumQuote":"10.88300",
          "timeInForce":"IOC","type":"LIMIT","reduceOnly":false,"closePosition":false,"side":"SELL",
          "positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE","origType":"LIMIT",
          "time":1596107620044,"updateTime":1596107620087}]
        """

    static let snapshotJSON = """
        {"code":200,"msg":"","snapshotVos":[{"data":{"balances":[{"asset":"BTC","free":"0.09905021",
          "locked":"0.00000000"},{"asset":"USDT","free":"1.89109409","locked":"0.00000000"}],
          "totalAssetOfBtc":"0.09942700"},"type":"spot","updateTime":1576281599000}]}
        """
}
