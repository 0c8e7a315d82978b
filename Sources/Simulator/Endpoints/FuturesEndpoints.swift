import BinanceAPI
import Foundation

/// The small USDⓈ-M futures account: positions opened when the paper account was created, funding every 8 hours,
/// mark prices from the spot price path with a small deterministic basis. No futures orders can be placed.
extension ExchangeEngine {
    private static let fundingInterval: Int64 = 28_800_000
    private static let maintenanceRate = Decimal(string: "0.004")!

    /// Perpetual symbols: every trading spot symbol quoted in USDT.
    func futuresRules(_ symbol: String) throws(APIFailure) -> SymbolRules {
        guard let rules = catalog.rules(symbol), rules.quoteAsset == "USDT", rules.status == "TRADING" else {
            throw APIFailure.invalidSymbol
        }
        return rules
    }

    /// Returns the body of `GET /fapi/v1/exchangeInfo`: the futures limits and one perpetual contract per futures
    /// symbol, with rules derived from spot as `FuturesContract` describes. The endpoint takes no parameters.
    func futuresExchangeInfo(at time: Int64) -> [UInt8] {
        let limits = options.rateLimits
        func limit(_ type: String, _ interval: String, _ number: Int, _ value: Int) -> WireJSON {
            .object([
                ("rateLimitType", .string(type)), ("interval", .string(interval)),
                ("intervalNum", .int(number)), ("limit", .int(value)),
            ])
        }
        let onboardDate = ledger.createdAt > 0 ? ledger.createdAt : time
        let symbols = catalog.symbols.compactMap { name -> WireJSON? in
            guard let rules = try? futuresRules(name) else { return nil }
            return FuturesContract(spot: rules).json(onboardDate: onboardDate)
        }
        return WireJSON.object([
            ("timezone", .string("UTC")),
            ("serverTime", .int(time)),
            ("futuresType", .string("U_MARGINED")),
            ("rateLimits", .array([
                limit("REQUEST_WEIGHT", "MINUTE", 1, limits.futuresWeightPerMinute),
                limit("ORDERS", "MINUTE", 1, 1200),
                limit("ORDERS", "SECOND", 10, 300),
            ])),
            ("exchangeFilters", .array([])),
            ("assets", .array([
                .object([("asset", .string("USDT")), ("marginAvailable", .bool(true)), ("autoAssetExchange", .string("-10000"))]),
            ])),
            ("symbols", .array(symbols)),
        ]).bytes
    }

    func markPrice(_ symbol: String, at time: Int64) -> Decimal {
        guard let rules = catalog.rules(symbol) else { return 0 }
        let spot = market.price(rules, at: time)
        let unit = SplitMix.unit(SplitMix.hash(options.seed ^ 0xF07, MarketModel.stableHash(symbol) ^ UInt64(bitPattern: time / 60_000)))
        let basis = Decimal(Int((unit * 10).rounded()) - 5) / 10_000
        return DecimalText.floor(spot * (1 + basis), toMultipleOf: Decimal(string: "0.00000001")!)
    }

    /// Funding rate of the period starting at `periodStart`: between -0.01 % and 0.03 %.
    func fundingRate(_ symbol: String, periodStart: Int64) -> Decimal {
        let unit = SplitMix.unit(SplitMix.hash(options.seed ^ 0xF00D, MarketModel.stableHash(symbol) ^ UInt64(bitPattern: periodStart)))
        return Decimal(Int((unit * 40).rounded()) - 10) / 100_000
    }

    func profit(_ position: PaperPosition, at time: Int64) -> Decimal {
        let value = (markPrice(position.symbol, at: time) - position.entryPrice) * position.positionAmt
        return DecimalText.floor(value, toMultipleOf: Decimal(string: "0.00000001")!)
    }

    func unrealizedProfit(at time: Int64) -> Decimal {
        ledger.positions.values.reduce(Decimal()) { $0 + profit($1, at: time) }
    }

    /// Funding payments of the open positions since they were opened, computed from the price path.
    func fundingIncome(upTo time: Int64) -> [PaperIncome] {
        var records = [PaperIncome]()
        for position in ledger.positions.values.sorted(by: { $0.symbol < $1.symbol }) where position.positionAmt != 0 {
            var boundary = position.updateTime - positiveModulo(position.updateTime, Self.fundingInterval) + Self.fundingInterval
            while boundary <= time {
                let rate = fundingRate(position.symbol, periodStart: boundary - Self.fundingInterval)
                let payment = -position.positionAmt * markPrice(position.symbol, at: boundary) * rate
                records.append(PaperIncome(
                    tranId: 8_000_000_000 + boundary / Self.fundingInterval * 16 + Int64(MarketModel.stableHash(position.symbol) % 16),
                    symbol: position.symbol, incomeType: "FUNDING_FEE",
                    income: DecimalText.floor(payment, toMultipleOf: Decimal(string: "0.00000001")!),
                    asset: "USDT", info: "FUNDING_FEE", time: boundary, tradeId: ""
                ))
                boundary += Self.fundingInterval
            }
        }
        return records
    }

    /// Wallet balance: transfers plus funding received or paid.
    func futuresWalletBalance(at time: Int64) -> Decimal {
        ledger.futuresWallet + fundingIncome(upTo: time).reduce(Decimal()) { $0 + $1.income }
    }

    func premiumIndex(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let single = try parameters.optionalSymbol()
        let symbols: [String]
        if let single {
            symbols = [try futuresRules(single).symbol]
        } else {
            symbols = catalog.symbols.filter { (try? futuresRules($0)) != nil }
        }
        let periodStart = time - positiveModulo(time, Self.fundingInterval)
        let items = symbols.map { symbol -> WireJSON in
            let mark = markPrice(symbol, at: time)
            let index = catalog.rules(symbol).map { market.price($0, at: time) } ?? mark
            return .object([
                ("symbol", .string(symbol)),
                ("markPrice", .decimal(mark)),
                ("indexPrice", .decimal(index)),
                ("estimatedSettlePrice", .decimal(mark)),
                ("lastFundingRate", .decimal(fundingRate(symbol, periodStart: periodStart))),
                ("interestRate", .decimal(Decimal(string: "0.0001")!)),
                ("nextFundingTime", .int(periodStart + Self.fundingInterval)),
                ("time", .int(time)),
            ])
        }
        return (single != nil ? items[0] : .array(items)).bytes
    }

    private func liquidationPrice(_ position: PaperPosition, wallet: Decimal) -> Decimal {
        let quantity = position.positionAmt
        let absolute = quantity < 0 ? -quantity : quantity
        let denominator = absolute * Self.maintenanceRate - quantity
        guard denominator != 0 else { return 0 }
        let value = (wallet - quantity * position.entryPrice) / denominator
        return value > 0 ? DecimalText.floor(value, toMultipleOf: Decimal(string: "0.00000001")!) : 0
    }

    func positionRisk(_ parameters: ReceivedParameters, at time: Int64, version3: Bool) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.optionalSymbol()
        if let symbol { _ = try futuresRules(symbol) }
        let wallet = futuresWalletBalance(at: time)
        let positions = ledger.positions.values
            .filter { symbol == nil || $0.symbol == symbol }
            .filter { $0.positionAmt != 0 || !version3 }
            .sorted { $0.symbol < $1.symbol }
        let items = positions.map { position -> WireJSON in
            let mark = markPrice(position.symbol, at: time)
            let notional = position.positionAmt * mark
            let absoluteNotional = notional < 0 ? -notional : notional
            let initialMargin = absoluteNotional / Decimal(position.leverage)
            let maintenance = absoluteNotional * Self.maintenanceRate
            let breakEven = position.entryPrice * (position.positionAmt > 0 ? 1 + options.takerCommission : 1 - options.takerCommission)
            if version3 {
                return .object([
                    ("symbol", .string(position.symbol)), ("positionSide", .string("BOTH")),
                    ("positionAmt", .plain(position.positionAmt)), ("entryPrice", .plain(position.entryPrice)),
                    ("breakEvenPrice", .plain(breakEven)), ("markPrice", .decimal(mark)),
                    ("unRealizedProfit", .decimal(profit(position, at: time))),
                    ("liquidationPrice", .plain(liquidationPrice(position, wallet: wallet))),
                    ("isolatedMargin", .string("0")), ("notional", .decimal(notional)),
                    ("marginAsset", .string("USDT")), ("isolatedWallet", .string("0")),
                    ("initialMargin", .decimal(initialMargin)), ("maintMargin", .decimal(maintenance)),
                    ("positionInitialMargin", .decimal(initialMargin)), ("openOrderInitialMargin", .string("0")),
                    ("adl", .int(2)), ("bidNotional", .string("0")), ("askNotional", .string("0")),
                    ("updateTime", .int(position.updateTime)),
                ])
            }
            return .object([
                ("entryPrice", .plain(position.entryPrice)), ("breakEvenPrice", .plain(breakEven)),
                ("marginType", .string("cross")), ("isAutoAddMargin", .string("false")),
                ("isolatedMargin", .string("0.00000000")), ("leverage", .string(String(position.leverage))),
                ("liquidationPrice", .plain(liquidationPrice(position, wallet: wallet))),
                ("markPrice", .decimal(mark)), ("maxNotionalValue", .string("1000000")),
                ("positionAmt", .plain(position.positionAmt)), ("notional", .decimal(notional)),
                ("isolatedWallet", .string("0")), ("symbol", .string(position.symbol)),
                ("unRealizedProfit", .decimal(profit(position, at: time))), ("positionSide", .string("BOTH")),
                ("updateTime", .int(position.updateTime)),
            ])
        }
        return WireJSON.array(items).bytes
    }

    func futuresAccount(at time: Int64, version3: Bool) -> [UInt8] {
        let wallet = futuresWalletBalance(at: time)
        let unrealized = unrealizedProfit(at: time)
        var initialTotal = Decimal()
        var maintenanceTotal = Decimal()
        var positionItems = [WireJSON]()
        for position in ledger.positions.values.sorted(by: { $0.symbol < $1.symbol }) {
            let mark = markPrice(position.symbol, at: time)
            let notional = position.positionAmt * mark
            let absoluteNotional = notional < 0 ? -notional : notional
            let initialMargin = absoluteNotional / Decimal(position.leverage)
            let maintenance = absoluteNotional * Self.maintenanceRate
            initialTotal += initialMargin
            maintenanceTotal += maintenance
            var fields: [(String, WireJSON)] = [
                ("symbol", .string(position.symbol)), ("positionSide", .string("BOTH")),
                ("positionAmt", .plain(position.positionAmt)),
                ("unrealizedProfit", .decimal(profit(position, at: time))),
                ("isolatedMargin", .string("0")), ("notional", .decimal(notional)),
                ("isolatedWallet", .string("0")), ("initialMargin", .decimal(initialMargin)),
                ("maintMargin", .decimal(maintenance)), ("updateTime", .int(position.updateTime)),
            ]
            if !version3 {
                fields += [
                    ("leverage", .string(String(position.leverage))), ("entryPrice", .plain(position.entryPrice)),
                    ("maxNotional", .string("1000000")), ("isolated", .bool(false)),
                    ("positionInitialMargin", .decimal(initialMargin)), ("openOrderInitialMargin", .string("0")),
                    ("bidNotional", .string("0")), ("askNotional", .string("0")),
                ]
            }
            positionItems.append(.object(fields))
        }
        let margin = wallet + unrealized
        let available = margin - initialTotal
        let asset = WireJSON.object([
            ("asset", .string("USDT")), ("walletBalance", .decimal(wallet)),
            ("unrealizedProfit", .decimal(unrealized)), ("marginBalance", .decimal(margin)),
            ("maintMargin", .decimal(maintenanceTotal)), ("initialMargin", .decimal(initialTotal)),
            ("positionInitialMargin", .decimal(initialTotal)), ("openOrderInitialMargin", .decimal(0)),
            ("crossWalletBalance", .decimal(wallet)), ("crossUnPnl", .decimal(unrealized)),
            ("availableBalance", .decimal(available)), ("maxWithdrawAmount", .decimal(max(available, 0))),
            ("marginAvailable", .bool(true)), ("updateTime", .int(time)),
        ])
        var fields: [(String, WireJSON)] = []
        if !version3 {
            fields += [
                ("feeTier", .int(0)), ("feeBurn", .bool(false)), ("canTrade", .bool(true)),
                ("canDeposit", .bool(true)), ("canWithdraw", .bool(false)), ("updateTime", .int(0)),
                ("multiAssetsMargin", .bool(false)), ("tradeGroupId", .int(-1)),
            ]
        }
        fields += [
            ("totalInitialMargin", .decimal(initialTotal)), ("totalMaintMargin", .decimal(maintenanceTotal)),
            ("totalWalletBalance", .decimal(wallet)), ("totalUnrealizedProfit", .decimal(unrealized)),
            ("totalMarginBalance", .decimal(margin)), ("totalPositionInitialMargin", .decimal(initialTotal)),
            ("totalOpenOrderInitialMargin", .decimal(0)), ("totalCrossWalletBalance", .decimal(wallet)),
            ("totalCrossUnPnl", .decimal(unrealized)), ("availableBalance", .decimal(available)),
            ("maxWithdrawAmount", .decimal(max(available, 0))),
            ("assets", .array([asset])), ("positions", .array(positionItems)),
        ]
        return WireJSON.object(fields).bytes
    }

    func income(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.optionalSymbol()
        if let symbol { _ = try futuresRules(symbol) }
        let type = try parameters.optional("incomeType")
        let known = ["TRANSFER", "WELCOME_BONUS", "REALIZED_PNL", "FUNDING_FEE", "COMMISSION", "INSURANCE_CLEAR",
                     "REFERRAL_KICKBACK", "COMMISSION_REBATE", "API_REBATE", "CONTEST_REWARD", "CROSS_COLLATERAL_TRANSFER",
                     "OPTIONS_PREMIUM_FEE", "OPTIONS_SETTLE_PROFIT", "INTERNAL_TRANSFER", "AUTO_EXCHANGE",
                     "DELIVERED_SETTELMENT", "COIN_SWAP_DEPOSIT", "COIN_SWAP_WITHDRAW", "POSITION_LIMIT_INCREASE_FEE"]
        if let type, !known.contains(type) { throw APIFailure.invalidParameter("incomeType") }
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        let page = Int(min(max(try parameters.integer("page") ?? 1, 1), 1_000_000))
        let limit = try parameters.limit(default: 100, maximum: 1000)
        // Without a start time Binance returns the last 7 days.
        let from = start ?? ((end ?? time) - 7 * 86_400_000)
        let to = end ?? time
        if from > to { throw APIFailure(code: -1023, "Start time is greater than end time.") }
        let records = (ledger.income + fundingIncome(upTo: time))
            .filter { record in
                if let symbol, record.symbol != symbol { return false }
                if let type, record.incomeType != type { return false }
                return record.time >= from && record.time <= to
            }
            .sorted { ($0.time, $0.tranId) < ($1.time, $1.tranId) }
        let pageItems = records.dropFirst(max(page - 1, 0) * limit).prefix(limit)
        return WireJSON.array(pageItems.map { record in
            .object([
                ("symbol", .string(record.symbol)), ("incomeType", .string(record.incomeType)),
                ("income", .decimal(record.income)), ("asset", .string(record.asset)),
                ("info", .string(record.info)), ("time", .int(record.time)),
                ("tranId", .int(record.tranId)), ("tradeId", .string(record.tradeId)),
            ])
        }).bytes
    }

    /// Liquidations of the paper futures account: always empty, because its positions are never liquidated.
    func forceOrders(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        if let symbol = try parameters.optionalSymbol() { _ = try futuresRules(symbol) }
        if let type = try parameters.optional("autoCloseType"), type != "LIQUIDATION", type != "ADL" {
            throw APIFailure.invalidParameter("autoCloseType")
        }
        _ = try parameters.time("startTime")
        _ = try parameters.time("endTime")
        _ = try parameters.limit(default: 50, maximum: 100)
        return Array("[]".utf8)
    }
}
