import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

@Suite struct AccountTests {
    private func object(_ response: HTTPResponse) -> [String: Any] {
        SimTestClient.json(response) as? [String: Any] ?? [:]
    }

    private func list(_ response: HTTPResponse) -> [[String: Any]] {
        SimTestClient.json(response) as? [[String: Any]] ?? []
    }

    private func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).sqlite").path
    }

    @Test func accountHasBinanceShape() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.signed(.get, "/api/v3/account"))
        #expect(body["makerCommission"] as? Int == 10)
        #expect(body["takerCommission"] as? Int == 10)
        #expect((body["commissionRates"] as? [String: String])?["maker"] == "0.00100000")
        #expect(body["canTrade"] as? Bool == true)
        #expect(body["canWithdraw"] as? Bool == false)
        #expect(body["accountType"] as? String == "SPOT")
        #expect(body["permissions"] as? [String] == ["SPOT"])
        let balances = body["balances"] as? [[String: String]] ?? []
        #expect(balances.first { $0["asset"] == "USDT" } == ["asset": "USDT", "free": "10000.00000000", "locked": "0.00000000"])
        #expect(balances.count == 4)
    }

    @Test func omitZeroBalancesHidesEmptyAssets() async throws {
        let client = try SimTestClient.make(balances: ["USDT": 100, "BTC": 0])
        let all = object(await client.signed(.get, "/api/v3/account"))["balances"] as? [[String: String]] ?? []
        #expect(all.count == 2)
        let nonZero = object(await client.signed(.get, "/api/v3/account", [("omitZeroBalances", "true")]))["balances"] as? [[String: String]] ?? []
        #expect(nonZero.map { $0["asset"] } == ["USDT"])
    }

    @Test func commissionEndpointReportsRates() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.signed(.get, "/api/v3/account/commission", [("symbol", "BTCUSDT")]))
        #expect(body["symbol"] as? String == "BTCUSDT")
        #expect(body["standardCommission"] as? [String: String] == ["maker": "0.00100000", "taker": "0.00100000", "buyer": "0.00000000", "seller": "0.00000000"])
        #expect((body["discount"] as? [String: Any])?["enabledForAccount"] as? Bool == false)
    }

    @Test func allOrdersAndMyTradesFilter() async throws {
        let client = try SimTestClient.make()
        for _ in 0..<3 {
            _ = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        }
        _ = await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
        let orders = list(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT")]))
        #expect(orders.count == 3)
        #expect(orders.allSatisfy { $0["symbol"] as? String == "BTCUSDT" })
        #expect(orders.allSatisfy { $0["status"] as? String == "FILLED" })
        let limited = list(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT"), ("limit", "2")]))
        #expect(limited.compactMap { $0["orderId"] as? Int } == [2, 3])
        let fromId = list(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT"), ("orderId", "2")]))
        #expect(fromId.compactMap { $0["orderId"] as? Int } == [2, 3])
        let trades = list(await client.signed(.get, "/api/v3/myTrades", [("symbol", "BTCUSDT")]))
        #expect(trades.count >= 3)
        #expect(trades.allSatisfy { $0["isBuyer"] as? Bool == true })
        #expect(trades.allSatisfy { $0["orderListId"] as? Int == -1 })
        let wide = await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT"), ("startTime", "0"), ("endTime", String(SimTestClient.startTime))])
        #expect(SimTestClient.error(wide)?.code == -1127)
    }

    @Test func openOrdersWithoutSymbolCostsMore() async throws {
        let client = try SimTestClient.make()
        let withSymbol = await client.signed(.get, "/api/v3/openOrders", [("symbol", "BTCUSDT")])
        #expect(withSymbol.header("x-mbx-used-weight-1m") == "6")
        let all = await client.signed(.get, "/api/v3/openOrders")
        #expect(all.header("x-mbx-used-weight-1m") == "86")
    }

    @Test func paperAccountSurvivesReopen() async throws {
        let path = temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var orderId = 0
        var lockedBefore = Decimal()
        do {
            let client = try SimTestClient.make(databasePath: path)
            _ = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
            let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
            let resting = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                                     ("quantity", "0.002"), ("price", DecimalText.format(price)), ("newClientOrderId", "keep-me")]))
            orderId = try #require(resting["orderId"] as? Int)
            lockedBefore = await client.balance("USDT").locked
        }
        let reopened = try SimTestClient.make(databasePath: path)
        #expect(await reopened.balance("USDT").locked == lockedBefore)
        #expect(await reopened.balance("BTC").free == Decimal(string: "0.100999")!)
        let open = list(await reopened.signed(.get, "/api/v3/openOrders", [("symbol", "BTCUSDT")]))
        #expect(open.compactMap { $0["orderId"] as? Int } == [orderId])
        #expect(open.first?["clientOrderId"] as? String == "keep-me")
        #expect(list(await reopened.signed(.get, "/api/v3/myTrades", [("symbol", "BTCUSDT")])).count >= 1)
        let next = object(await reopened.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]))
        #expect(next["orderId"] as? Int == orderId + 1)
        #expect(reopened.exchange.orderCount(clientOrderId: "keep-me") == 1)
    }

    @Test func resetAccountReplacesBalancesAndOrders() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        _ = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                ("quantity", "0.002"), ("price", DecimalText.format(price))])
        try client.exchange.resetAccount(balances: ["USDT": 500, "SOL": Decimal(string: "2.5")!])
        let balances = object(await client.signed(.get, "/api/v3/account"))["balances"] as? [[String: String]] ?? []
        #expect(balances.map { $0["asset"] ?? "" } == ["SOL", "USDT"])
        #expect(await client.balance("USDT") == (500, 0))
        #expect(client.exchange.openOrderCount == 0)
        #expect(list(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT")])).isEmpty)
    }

    @Test func walletEndpointsAnswerPaperData() async throws {
        let client = try SimTestClient.make()
        let fees = list(await client.signed(.get, "/sapi/v1/asset/tradeFee", [("symbol", "BTCUSDT")]))
        #expect(fees.count == 1)
        #expect(fees.first?["makerCommission"] as? String == "0.001")
        let address = object(await client.signed(.get, "/sapi/v1/capital/deposit/address", [("coin", "BTC")]))
        #expect((address["address"] as? String)?.hasPrefix("SIMULATED-") == true)
        #expect(address["coin"] as? String == "BTC")
        let unknownCoin = await client.signed(.get, "/sapi/v1/capital/deposit/address", [("coin", "NOTACOIN")])
        #expect(unknownCoin.status == 400)
        let deposits = list(await client.signed(.get, "/sapi/v1/capital/deposit/hisrec", [("coin", "USDT")]))
        #expect(deposits.count == 1)
        #expect(deposits.first?["amount"] as? String == "10000")
        #expect(deposits.first?["status"] as? Int == 1)
        #expect(list(await client.signed(.get, "/sapi/v1/capital/withdraw/history")).isEmpty)
        let restrictions = object(await client.signed(.get, "/sapi/v1/account/apiRestrictions"))
        #expect(restrictions["enableWithdrawals"] as? Bool == false)
        #expect(restrictions["enableReading"] as? Bool == true)
    }

    @Test func accountSnapshotRecordsDays() async throws {
        let client = try SimTestClient.make()
        let first = object(await client.signed(.get, "/sapi/v1/accountSnapshot", [("type", "SPOT")]))
        #expect(first["code"] as? Int == 200)
        #expect((first["snapshotVos"] as? [Any])?.count == 1)
        client.clock.advance(milliseconds: 2 * 86_400_000)
        let later = object(await client.signed(.get, "/sapi/v1/accountSnapshot", [("type", "SPOT")]))
        let snapshots = later["snapshotVos"] as? [[String: Any]] ?? []
        #expect(snapshots.count == 2)
        #expect(snapshots.last?["type"] as? String == "spot")
        let futures = object(await client.signed(.get, "/sapi/v1/accountSnapshot", [("type", "FUTURES")]))
        #expect(((futures["snapshotVos"] as? [[String: Any]])?.first?["type"] as? String) == "futures")
        let bad = await client.signed(.get, "/sapi/v1/accountSnapshot", [("type", "OPTIONS")])
        #expect(SimTestClient.error(bad)?.code == -1130)
    }

    @Test func futuresAccountHasPositionsAndFunding() async throws {
        let client = try SimTestClient.make()
        let positions = list(await client.signed(.get, "/fapi/v3/positionRisk"))
        #expect(positions.compactMap { $0["symbol"] as? String } == ["BTCUSDT", "ETHUSDT"])
        #expect(positions.first?["positionAmt"] as? String == "0.01")
        #expect(positions.allSatisfy { $0["markPrice"] is String })
        #expect(positions.allSatisfy { $0["unRealizedProfit"] is String })
        let one = list(await client.signed(.get, "/fapi/v2/positionRisk", [("symbol", "ETHUSDT")]))
        #expect(one.count == 1)
        #expect(one.first?["leverage"] as? String == "5")
        let account = object(await client.signed(.get, "/fapi/v2/account"))
        #expect(account["totalWalletBalance"] as? String == "1000.00000000")
        #expect((account["positions"] as? [Any])?.count == 2)
        let v3 = object(await client.signed(.get, "/fapi/v3/account"))
        #expect(v3["feeTier"] == nil)
        #expect(v3["availableBalance"] is String)

        client.clock.advance(milliseconds: 9 * 3_600_000)
        let income = list(await client.signed(.get, "/fapi/v1/income"))
        #expect(income.first?["incomeType"] as? String == "TRANSFER")
        #expect(income.contains { $0["incomeType"] as? String == "FUNDING_FEE" })
        let funding = list(await client.signed(.get, "/fapi/v1/income", [("incomeType", "FUNDING_FEE"), ("symbol", "BTCUSDT")]))
        #expect(!funding.isEmpty)
        #expect(funding.allSatisfy { $0["symbol"] as? String == "BTCUSDT" })
        let wallet = object(await client.signed(.get, "/fapi/v2/account"))["totalWalletBalance"] as? String
        let fundingTotal = income.filter { $0["incomeType"] as? String == "FUNDING_FEE" }
            .reduce(Decimal()) { $0 + (DecimalText.parse($1["income"] as? String ?? "", allowNegative: true) ?? 0) }
        #expect(wallet.flatMap { DecimalText.parse($0) } == 1000 + fundingTotal)
        #expect(list(await client.signed(.get, "/fapi/v1/forceOrders")).isEmpty)
        let badType = await client.signed(.get, "/fapi/v1/income", [("incomeType", "SALARY")])
        #expect(SimTestClient.error(badType)?.code == -1130)
    }
}
