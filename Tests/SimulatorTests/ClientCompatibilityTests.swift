import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

/// Every simulator response decodes into the project's own Binance models through `BinanceClient`.
@Suite struct ClientCompatibilityTests {
    private func makeClient() throws -> (BinanceClient, SimulatedExchange) {
        let exchange = try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:"))
        let credentials = Credentials(
            apiKey: Secret(SimulatedExchange.paperAPIKey),
            signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
        )
        let configuration = ClientConfiguration(spotBaseURL: "http://sim", futuresBaseURL: "http://sim", credentials: credentials)
        return (BinanceClient(configuration: configuration, transport: InProcessTransport(exchange: exchange)), exchange)
    }

    @Test func marketDataDecodes() async throws {
        let (client, _) = try makeClient()
        let time = try await client.send(.time, as: ServerTime.self)
        #expect(time.serverTime > 0)
        let info = try await client.send(.exchangeInfo, ["symbol": "BTCUSDT"], as: ExchangeInfo.self)
        #expect(info.symbols.count == 1)
        #expect(info.symbols.first?.filters.lotSize?.stepSize.value == Decimal(string: "0.00001")!)
        _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"], as: TickerPrice.self)
        _ = try await client.send(.ticker24hr, ["symbol": "ETHBTC"], as: Ticker24h.self)
        _ = try await client.send(.bookTicker, ["symbol": "BTCUSDT"], as: BookTicker.self)
        let book = try await client.send(.depth, ["symbol": "BTCUSDT", "limit": "10"], as: OrderBook.self)
        #expect(book.bids.count == 10)
        let trades = try await client.send(.trades, ["symbol": "BTCUSDT", "limit": "5"], as: [Trade].self)
        #expect(trades.count == 5)
        let klines = try await client.send(.klines, ["symbol": "BTCUSDT", "interval": "1m", "limit": "5"], as: [Kline].self)
        #expect(klines.count == 5)
        _ = try await client.send(.avgPrice, ["symbol": "BTCUSDT"], as: AveragePrice.self)
        let index = try await client.send(.premiumIndex, ["symbol": "BTCUSDT"], as: PremiumIndex.self)
        #expect(index.symbol == "BTCUSDT")
    }

    @Test func tradingDecodes() async throws {
        let (client, exchange) = try makeClient()
        let account = try await client.send(.account, as: Account.self)
        #expect(account.balances.count == 4)
        let market = try await client.send(.newOrder, ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001"], as: Order.self)
        #expect(market.status == "FILLED")
        let price = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"], as: TickerPrice.self).price.value
        let limitPrice = DecimalText.floor(price * Decimal(string: "0.9")!, toMultipleOf: Decimal(string: "0.01")!)
        let limit = try await client.send(
            .newOrder,
            ["symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.001",
             "price": DecimalText.format(limitPrice), "newClientOrderId": "compat-1"],
            as: Order.self
        )
        #expect(limit.status == "NEW")
        let queried = try await client.send(.queryOrder, ["symbol": "BTCUSDT", "origClientOrderId": "compat-1"], as: Order.self)
        #expect(queried.orderId == limit.orderId)
        let open = try await client.send(.openOrders, ["symbol": "BTCUSDT"], as: [Order].self)
        #expect(open.count == 1)
        let canceled = try await client.send(.cancelOrder, ["symbol": "BTCUSDT", "orderId": String(limit.orderId)], as: Order.self)
        #expect(canceled.status == "CANCELED")
        #expect(try await client.send(.allOrders, ["symbol": "BTCUSDT"], as: [Order].self).count == 2)
        #expect(try await client.send(.myTrades, ["symbol": "BTCUSDT"], as: [MyTrade].self).count >= 1)
        _ = try await client.send(.commission, ["symbol": "BTCUSDT"], as: CommissionRates.self)
        _ = try await client.send(
            .testOrder,
            ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001", "computeCommissionRates": "true"],
            as: TestOrderCommission.self
        )
        #expect(exchange.orderCount(clientOrderId: "compat-1") == 1)
    }

    @Test func walletAndFuturesDecode() async throws {
        let (client, _) = try makeClient()
        #expect(try await client.send(.tradeFee, ["symbol": "BTCUSDT"], as: [TradeFee].self).count == 1)
        _ = try await client.send(.depositAddress, ["coin": "USDT"], as: DepositAddress.self)
        #expect(try await client.send(.depositHistory, as: [DepositRecord].self).count == 4)
        #expect(try await client.send(.withdrawHistory, as: [WithdrawRecord].self).isEmpty)
        let snapshot = try await client.send(.accountSnapshot, ["type": "SPOT"], as: AccountSnapshot.self)
        #expect(snapshot.code == 200)
        #expect(try await client.send(.positionRisk, as: [PositionRisk].self).count == 2)
        _ = try await client.send(.futuresAccount, as: FuturesAccount.self)
        #expect(try await client.send(.income, as: [IncomeRecord].self).count >= 1)
        #expect(try await client.send(.forceOrders, as: [ForceOrder].self).isEmpty)
    }
}
