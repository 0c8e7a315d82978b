/// One USDⓈ-M futures position, from `GET /fapi/v3/positionRisk` (v2 adds `leverage` and `marginType`).
package struct PositionRisk: Codable, Sendable, Equatable {
    package var symbol: String
    package var positionSide: String
    package var positionAmt: DecimalValue
    package var entryPrice: DecimalValue
    package var breakEvenPrice: DecimalValue?
    package var markPrice: DecimalValue
    package var unRealizedProfit: DecimalValue
    package var liquidationPrice: DecimalValue
    package var isolatedMargin: DecimalValue?
    package var notional: DecimalValue
    package var marginAsset: String?
    package var isolatedWallet: DecimalValue?
    package var initialMargin: DecimalValue?
    package var maintMargin: DecimalValue?
    package var positionInitialMargin: DecimalValue?
    package var openOrderInitialMargin: DecimalValue?
    package var adl: Int?
    package var bidNotional: DecimalValue?
    package var askNotional: DecimalValue?
    package var leverage: Int?
    package var marginType: String?
    package var updateTime: Int64

    package init(
        symbol: String,
        positionSide: String,
        positionAmt: DecimalValue,
        entryPrice: DecimalValue,
        breakEvenPrice: DecimalValue? = nil,
        markPrice: DecimalValue,
        unRealizedProfit: DecimalValue,
        liquidationPrice: DecimalValue,
        isolatedMargin: DecimalValue? = nil,
        notional: DecimalValue,
        marginAsset: String? = nil,
        isolatedWallet: DecimalValue? = nil,
        initialMargin: DecimalValue? = nil,
        maintMargin: DecimalValue? = nil,
        positionInitialMargin: DecimalValue? = nil,
        openOrderInitialMargin: DecimalValue? = nil,
        adl: Int? = nil,
        bidNotional: DecimalValue? = nil,
        askNotional: DecimalValue? = nil,
        leverage: Int? = nil,
        marginType: String? = nil,
        updateTime: Int64
    ) {
        self.symbol = symbol
        self.positionSide = positionSide
        self.positionAmt = positionAmt
        self.entryPrice = entryPrice
        self.breakEvenPrice = breakEvenPrice
        self.markPrice = markPrice
        self.unRealizedProfit = unRealizedProfit
        self.liquidationPrice = liquidationPrice
        self.isolatedMargin = isolatedMargin
        self.notional = notional
        self.marginAsset = marginAsset
        self.isolatedWallet = isolatedWallet
        self.initialMargin = initialMargin
        self.maintMargin = maintMargin
        self.positionInitialMargin = positionInitialMargin
        self.openOrderInitialMargin = openOrderInitialMargin
        self.adl = adl
        self.bidNotional = bidNotional
        self.askNotional = askNotional
        self.leverage = leverage
        self.marginType = marginType
        self.updateTime = updateTime
    }
}

/// One asset of the USDⓈ-M futures account.
package struct FuturesAssetBalance: Codable, Sendable, Equatable {
    package var asset: String
    package var walletBalance: DecimalValue
    package var unrealizedProfit: DecimalValue
    package var marginBalance: DecimalValue
    package var maintMargin: DecimalValue?
    package var initialMargin: DecimalValue?
    package var positionInitialMargin: DecimalValue?
    package var openOrderInitialMargin: DecimalValue?
    package var crossWalletBalance: DecimalValue?
    package var crossUnPnl: DecimalValue?
    package var availableBalance: DecimalValue
    package var maxWithdrawAmount: DecimalValue?
    package var marginAvailable: Bool?
    package var updateTime: Int64?

    package init(
        asset: String,
        walletBalance: DecimalValue,
        unrealizedProfit: DecimalValue,
        marginBalance: DecimalValue,
        maintMargin: DecimalValue? = nil,
        initialMargin: DecimalValue? = nil,
        positionInitialMargin: DecimalValue? = nil,
        openOrderInitialMargin: DecimalValue? = nil,
        crossWalletBalance: DecimalValue? = nil,
        crossUnPnl: DecimalValue? = nil,
        availableBalance: DecimalValue,
        maxWithdrawAmount: DecimalValue? = nil,
        marginAvailable: Bool? = nil,
        updateTime: Int64? = nil
    ) {
        self.asset = asset
        self.walletBalance = walletBalance
        self.unrealizedProfit = unrealizedProfit
        self.marginBalance = marginBalance
        self.maintMargin = maintMargin
        self.initialMargin = initialMargin
        self.positionInitialMargin = positionInitialMargin
        self.openOrderInitialMargin = openOrderInitialMargin
        self.crossWalletBalance = crossWalletBalance
        self.crossUnPnl = crossUnPnl
        self.availableBalance = availableBalance
        self.maxWithdrawAmount = maxWithdrawAmount
        self.marginAvailable = marginAvailable
        self.updateTime = updateTime
    }
}

/// A position as listed in the USDⓈ-M futures account.
package struct FuturesAccountPosition: Codable, Sendable, Equatable {
    package var symbol: String
    package var positionSide: String?
    package var positionAmt: DecimalValue
    package var initialMargin: DecimalValue?
    package var maintMargin: DecimalValue?
    package var unrealizedProfit: DecimalValue
    package var positionInitialMargin: DecimalValue?
    package var openOrderInitialMargin: DecimalValue?
    package var leverage: Int?
    package var isolated: Bool?
    package var entryPrice: DecimalValue?
    package var breakEvenPrice: DecimalValue?
    package var maxNotional: DecimalValue?
    package var bidNotional: DecimalValue?
    package var askNotional: DecimalValue?
    package var updateTime: Int64?

    package init(
        symbol: String,
        positionSide: String? = nil,
        positionAmt: DecimalValue,
        initialMargin: DecimalValue? = nil,
        maintMargin: DecimalValue? = nil,
        unrealizedProfit: DecimalValue,
        positionInitialMargin: DecimalValue? = nil,
        openOrderInitialMargin: DecimalValue? = nil,
        leverage: Int? = nil,
        isolated: Bool? = nil,
        entryPrice: DecimalValue? = nil,
        breakEvenPrice: DecimalValue? = nil,
        maxNotional: DecimalValue? = nil,
        bidNotional: DecimalValue? = nil,
        askNotional: DecimalValue? = nil,
        updateTime: Int64? = nil
    ) {
        self.symbol = symbol
        self.positionSide = positionSide
        self.positionAmt = positionAmt
        self.initialMargin = initialMargin
        self.maintMargin = maintMargin
        self.unrealizedProfit = unrealizedProfit
        self.positionInitialMargin = positionInitialMargin
        self.openOrderInitialMargin = openOrderInitialMargin
        self.leverage = leverage
        self.isolated = isolated
        self.entryPrice = entryPrice
        self.breakEvenPrice = breakEvenPrice
        self.maxNotional = maxNotional
        self.bidNotional = bidNotional
        self.askNotional = askNotional
        self.updateTime = updateTime
    }
}

/// The USDⓈ-M futures account, from `GET /fapi/v2/account`.
package struct FuturesAccount: Codable, Sendable, Equatable {
    package var feeTier: Int?
    package var canTrade: Bool?
    package var canDeposit: Bool?
    package var canWithdraw: Bool?
    package var updateTime: Int64?
    package var multiAssetsMargin: Bool?
    package var totalInitialMargin: DecimalValue?
    package var totalMaintMargin: DecimalValue?
    package var totalWalletBalance: DecimalValue
    package var totalUnrealizedProfit: DecimalValue
    package var totalMarginBalance: DecimalValue
    package var totalPositionInitialMargin: DecimalValue?
    package var totalOpenOrderInitialMargin: DecimalValue?
    package var totalCrossWalletBalance: DecimalValue?
    package var totalCrossUnPnl: DecimalValue?
    package var availableBalance: DecimalValue
    package var maxWithdrawAmount: DecimalValue?
    package var assets: [FuturesAssetBalance]
    package var positions: [FuturesAccountPosition]?

    package init(
        feeTier: Int? = nil,
        canTrade: Bool? = nil,
        canDeposit: Bool? = nil,
        canWithdraw: Bool? = nil,
        updateTime: Int64? = nil,
        multiAssetsMargin: Bool? = nil,
        totalInitialMargin: DecimalValue? = nil,
        totalMaintMargin: DecimalValue? = nil,
        totalWalletBalance: DecimalValue,
        totalUnrealizedProfit: DecimalValue,
        totalMarginBalance: DecimalValue,
        totalPositionInitialMargin: DecimalValue? = nil,
        totalOpenOrderInitialMargin: DecimalValue? = nil,
        totalCrossWalletBalance: DecimalValue? = nil,
        totalCrossUnPnl: DecimalValue? = nil,
        availableBalance: DecimalValue,
        maxWithdrawAmount: DecimalValue? = nil,
        assets: [FuturesAssetBalance],
        positions: [FuturesAccountPosition]? = nil
    ) {
        self.feeTier = feeTier
        self.canTrade = canTrade
        self.canDeposit = canDeposit
        self.canWithdraw = canWithdraw
        self.updateTime = updateTime
        self.multiAssetsMargin = multiAssetsMargin
        self.totalInitialMargin = totalInitialMargin
        self.totalMaintMargin = totalMaintMargin
        self.totalWalletBalance = totalWalletBalance
        self.totalUnrealizedProfit = totalUnrealizedProfit
        self.totalMarginBalance = totalMarginBalance
        self.totalPositionInitialMargin = totalPositionInitialMargin
        self.totalOpenOrderInitialMargin = totalOpenOrderInitialMargin
        self.totalCrossWalletBalance = totalCrossWalletBalance
        self.totalCrossUnPnl = totalCrossUnPnl
        self.availableBalance = availableBalance
        self.maxWithdrawAmount = maxWithdrawAmount
        self.assets = assets
        self.positions = positions
    }
}

/// A forced (liquidation or ADL) order of the futures account, from `GET /fapi/v1/forceOrders`.
package struct ForceOrder: Codable, Sendable, Equatable {
    package var orderId: Int64
    package var symbol: String
    package var status: String
    package var clientOrderId: String
    package var price: DecimalValue
    package var avgPrice: DecimalValue
    package var origQty: DecimalValue
    package var executedQty: DecimalValue
    package var cumQuote: DecimalValue
    package var timeInForce: String
    package var type: String
    package var reduceOnly: Bool?
    package var closePosition: Bool?
    package var side: String
    package var positionSide: String?
    package var stopPrice: DecimalValue?
    package var workingType: String?
    package var origType: String?
    package var time: Int64
    package var updateTime: Int64

    package init(
        orderId: Int64,
        symbol: String,
        status: String,
        clientOrderId: String,
        price: DecimalValue,
        avgPrice: DecimalValue,
        origQty: DecimalValue,
        executedQty: DecimalValue,
        cumQuote: DecimalValue,
        timeInForce: String,
        type: String,
        reduceOnly: Bool? = nil,
        closePosition: Bool? = nil,
        side: String,
        positionSide: String? = nil,
        stopPrice: DecimalValue? = nil,
        workingType: String? = nil,
        origType: String? = nil,
        time: Int64,
        updateTime: Int64
    ) {
        self.orderId = orderId
        self.symbol = symbol
        self.status = status
        self.clientOrderId = clientOrderId
        self.price = price
        self.avgPrice = avgPrice
        self.origQty = origQty
        self.executedQty = executedQty
        self.cumQuote = cumQuote
        self.timeInForce = timeInForce
        self.type = type
        self.reduceOnly = reduceOnly
        self.closePosition = closePosition
        self.side = side
        self.positionSide = positionSide
        self.stopPrice = stopPrice
        self.workingType = workingType
        self.origType = origType
        self.time = time
        self.updateTime = updateTime
    }
}

/// Mark price and funding of a USDⓈ-M symbol, from `GET /fapi/v1/premiumIndex`.
package struct PremiumIndex: Codable, Sendable, Equatable {
    package var symbol: String
    package var markPrice: DecimalValue
    package var indexPrice: DecimalValue
    package var estimatedSettlePrice: DecimalValue?
    package var lastFundingRate: DecimalValue
    package var interestRate: DecimalValue?
    package var nextFundingTime: Int64
    package var time: Int64

    package init(
        symbol: String,
        markPrice: DecimalValue,
        indexPrice: DecimalValue,
        estimatedSettlePrice: DecimalValue? = nil,
        lastFundingRate: DecimalValue,
        interestRate: DecimalValue? = nil,
        nextFundingTime: Int64,
        time: Int64
    ) {
        self.symbol = symbol
        self.markPrice = markPrice
        self.indexPrice = indexPrice
        self.estimatedSettlePrice = estimatedSettlePrice
        self.lastFundingRate = lastFundingRate
        self.interestRate = interestRate
        self.nextFundingTime = nextFundingTime
        self.time = time
    }
}
