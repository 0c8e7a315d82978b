import BinanceAPI
import Foundation

extension ExchangeEngine {
    func tradeFee(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let symbols: [String]
        if let symbol = try parameters.optionalSymbol() {
            symbols = [try rules(symbol).symbol]
        } else {
            symbols = catalog.symbols
        }
        return WireJSON.array(symbols.map { symbol in
            .object([
                ("symbol", .string(symbol)),
                ("makerCommission", .plain(options.makerCommission)),
                ("takerCommission", .plain(options.takerCommission)),
            ])
        }).bytes
    }

    /// Assets that appear in the catalogue, for checking `coin` parameters.
    private func knownCoin(_ coin: String) -> Bool {
        if ledger.balances[coin] != nil { return true }
        return catalog.contents.rules.values.contains { $0.baseAsset == coin || $0.quoteAsset == coin }
    }

    private func coin(_ parameters: ReceivedParameters, required: Bool) throws(APIFailure) -> String? {
        let value = required ? try parameters.required("coin") : try parameters.optional("coin")
        guard let value else { return nil }
        guard ReceivedParameters.matchesSymbol(value), knownCoin(value) else {
            throw APIFailure(code: -4003, "Coin '\(value)' is not supported.")
        }
        return value
    }

    /// A deposit address that no blockchain accepts, so nothing can be sent to it by mistake.
    func depositAddress(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let coin = try coin(parameters, required: true) ?? ""
        let network = try parameters.optional("network") ?? coin
        _ = try parameters.decimal("amount")
        let digest = SplitMix.hash(options.seed, MarketModel.stableHash(coin + "/" + network))
        let address = "SIMULATED-\(network)-NOT-A-REAL-ADDRESS-\(String(digest, radix: 16))"
        return WireJSON.object([
            ("address", .string(address)),
            ("coin", .string(coin)),
            ("tag", .string("")),
            ("url", .string("")),
        ]).bytes
    }

    /// The deposits that funded the paper account when it was created: one per starting asset.
    func depositHistory(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let coin = try coin(parameters, required: false)
        let status = try parameters.integer("status")
        let window = try timeWindow(parameters, at: time, maximumDays: 90)
        let offset = Int(try parameters.integer("offset") ?? 0)
        let limit = Int(min(try parameters.integer("limit") ?? 1000, 1000))
        let txId = try parameters.optional("txId")
        if let flag = try parameters.optional("includeSource"), flag != "true", flag != "false" {
            throw APIFailure.invalidParameter("includeSource")
        }
        let created = ledger.createdAt
        let deposits = ledger.snapshots.first?.balances ?? []
        var items = [WireJSON]()
        for (index, entry) in deposits.enumerated() where entry.free + entry.locked > 0 {
            let id = SplitMix.hash(options.seed, UInt64(index) ^ 0xDE9051)
            let transaction = "simulated-deposit-\(String(id, radix: 16))"
            if let coin, entry.asset != coin { continue }
            if let status, status != 1 { continue }
            if let txId, txId != transaction { continue }
            guard created >= window.start, created <= window.end else { continue }
            items.append(.object([
                ("id", .string(String(id % 1_000_000_000_000_000_000))),
                ("amount", .plain(entry.free + entry.locked)),
                ("coin", .string(entry.asset)),
                ("network", .string(entry.asset)),
                ("status", .int(1)),
                ("address", .string("SIMULATED-\(entry.asset)-NOT-A-REAL-ADDRESS")),
                ("addressTag", .string("")),
                ("txId", .string(transaction)),
                ("insertTime", .int(created)),
                ("completeTime", .int(created)),
                ("transferType", .int(0)),
                ("confirmTimes", .string("1/1")),
                ("unlockConfirm", .int(0)),
                ("walletType", .int(0)),
                ("travelRuleStatus", .int(0)),
            ]))
        }
        return WireJSON.array(Array(items.dropFirst(offset).prefix(limit))).bytes
    }

    /// Withdrawal history: always empty, because the paper account cannot withdraw.
    func withdrawHistory(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        _ = try coin(parameters, required: false)
        _ = try parameters.optional("withdrawOrderId")
        _ = try parameters.integer("status")
        _ = try parameters.integer("offset")
        if let limit = try parameters.integer("limit"), limit > 1000 { throw APIFailure.invalidParameter("limit") }
        _ = try parameters.optional("idList")
        _ = try timeWindow(parameters, at: time, maximumDays: 90)
        return Array("[]".utf8)
    }

    private func timeWindow(_ parameters: ReceivedParameters, at time: Int64, maximumDays: Int64) throws(APIFailure) -> (start: Int64, end: Int64) {
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        let span = maximumDays * 86_400_000
        let resolvedEnd = end ?? (start.map { $0 + span } ?? time)
        let resolvedStart = start ?? (resolvedEnd - span)
        if resolvedStart > resolvedEnd { throw APIFailure(code: -1023, "Start time is greater than end time.") }
        if resolvedEnd - resolvedStart > span {
            throw APIFailure(code: -1127, "More than \(maximumDays) days between startTime and endTime.")
        }
        return (resolvedStart, resolvedEnd)
    }

    func accountSnapshot(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let type = try parameters.required("type")
        guard ["SPOT", "MARGIN", "FUTURES"].contains(type) else { throw APIFailure.invalidParameter("type") }
        let limit = Int(try parameters.integer("limit") ?? 7)
        guard (7...30).contains(limit) else { throw APIFailure.invalidParameter("limit") }
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        recordDailySnapshot(at: time)
        let snapshots = ledger.snapshots.filter { snapshot in
            if let start, snapshot.time < start { return false }
            if let end, snapshot.time > end { return false }
            return true
        }.suffix(limit)
        let items: [WireJSON] = snapshots.map { snapshot in
            switch type {
            case "SPOT":
                return .object([
                    ("type", .string("spot")), ("updateTime", .int(snapshot.time)),
                    ("data", .object([
                        ("totalAssetOfBtc", .plain(valueInBTC(snapshot.balances, at: snapshot.time))),
                        ("balances", .array(snapshot.balances.map { entry in
                            .object([("asset", .string(entry.asset)), ("free", .plain(entry.free)), ("locked", .plain(entry.locked))])
                        })),
                    ])),
                ])
            case "MARGIN":
                return .object([
                    ("type", .string("margin")), ("updateTime", .int(snapshot.time)),
                    ("data", .object([
                        ("marginLevel", .string("999")), ("totalAssetOfBtc", .string("0")),
                        ("totalLiabilityOfBtc", .string("0")), ("totalNetAssetOfBtc", .string("0")),
                        ("userAssets", .array([])),
                    ])),
                ])
            default:
                return .object([
                    ("type", .string("futures")), ("updateTime", .int(snapshot.time)),
                    ("data", .object([
                        ("assets", .array([.object([
                            ("asset", .string("USDT")),
                            ("marginBalance", .plain(ledger.futuresWallet + unrealizedProfit(at: snapshot.time))),
                            ("walletBalance", .plain(ledger.futuresWallet)),
                        ])])),
                        ("position", .array(ledger.positions.values.sorted { $0.symbol < $1.symbol }.map { position in
                            .object([
                                ("entryPrice", .plain(position.entryPrice)),
                                ("markPrice", .plain(markPrice(position.symbol, at: snapshot.time))),
                                ("positionAmt", .plain(position.positionAmt)),
                                ("symbol", .string(position.symbol)),
                                ("unRealizedProfit", .plain(profit(position, at: snapshot.time))),
                            ])
                        })),
                    ])),
                ])
            }
        }
        return WireJSON.object([
            ("code", .int(200)), ("msg", .string("")), ("snapshotVos", .array(items)),
        ]).bytes
    }

    /// Records one snapshot per UTC day: the first request of a new day stores the balances as of the end of
    /// the previous day (the paper account keeps no history between requests).
    func recordDailySnapshot(at time: Int64) {
        let dayStart = time - positiveModulo(time, 86_400_000)
        guard let last = ledger.snapshots.last, last.time < dayStart - 1 else { return }
        do {
            try ledger.addSnapshot(at: dayStart - 1)
        } catch {
            options.logger.error("Daily balance snapshot was not stored", ["error": "\(error)"])
        }
    }

    private func valueInBTC(_ balances: [(asset: String, free: Decimal, locked: Decimal)], at time: Int64) -> Decimal {
        let btc = market.usdtValue("BTC", at: time)
        guard btc > 0 else { return 0 }
        var total = Decimal()
        for entry in balances {
            total += (entry.free + entry.locked) * market.usdtValue(entry.asset, at: time)
        }
        return DecimalText.floor(total / btc, toMultipleOf: Decimal(string: "0.00000001")!)
    }

    func apiRestrictions() -> [UInt8] {
        WireJSON.object([
            ("ipRestrict", .bool(false)),
            ("createTime", .int(ledger.createdAt)),
            ("enableReading", .bool(true)),
            ("enableSpotAndMarginTrading", .bool(true)),
            ("enableWithdrawals", .bool(false)),
            ("enableInternalTransfer", .bool(false)),
            ("enableMargin", .bool(false)),
            ("enableFutures", .bool(true)),
            ("permitsUniversalTransfer", .bool(false)),
            ("enableVanillaOptions", .bool(false)),
            ("enableFixApiTrade", .bool(false)),
            ("enableFixReadOnly", .bool(false)),
            ("enablePortfolioMarginTrading", .bool(false)),
        ]).bytes
    }
}
