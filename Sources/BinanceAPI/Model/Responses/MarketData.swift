/// The exchange clock, from `GET /api/v3/time`.
package struct ServerTime: Codable, Sendable, Equatable {
    /// Milliseconds since the Unix epoch.
    package var serverTime: Int64

    package init(
        serverTime: Int64
    ) {
        self.serverTime = serverTime
    }
}

/// The latest price of a symbol, from `GET /api/v3/ticker/price`.
package struct TickerPrice: Codable, Sendable, Equatable {
    package var symbol: String
    package var price: DecimalValue

    package init(
        symbol: String,
        price: DecimalValue
    ) {
        self.symbol = symbol
        self.price = price
    }
}

/// Rolling 24-hour statistics, from `GET /api/v3/ticker/24hr` (the MINI form leaves out the change, bid and ask
/// fields).
package struct Ticker24h: Codable, Sendable, Equatable {
    package var symbol: String
    package var priceChange: DecimalValue?
    package var priceChangePercent: DecimalValue?
    package var weightedAvgPrice: DecimalValue?
    package var prevClosePrice: DecimalValue?
    package var lastPrice: DecimalValue
    package var lastQty: DecimalValue?
    package var bidPrice: DecimalValue?
    package var bidQty: DecimalValue?
    package var askPrice: DecimalValue?
    package var askQty: DecimalValue?
    package var openPrice: DecimalValue
    package var highPrice: DecimalValue
    package var lowPrice: DecimalValue
    package var volume: DecimalValue
    package var quoteVolume: DecimalValue
    package var openTime: Int64
    package var closeTime: Int64
    package var firstId: Int64
    package var lastId: Int64
    package var count: Int64

    package init(
        symbol: String,
        priceChange: DecimalValue? = nil,
        priceChangePercent: DecimalValue? = nil,
        weightedAvgPrice: DecimalValue? = nil,
        prevClosePrice: DecimalValue? = nil,
        lastPrice: DecimalValue,
        lastQty: DecimalValue? = nil,
        bidPrice: DecimalValue? = nil,
        bidQty: DecimalValue? = nil,
        askPrice: DecimalValue? = nil,
        askQty: DecimalValue? = nil,
        openPrice: DecimalValue,
        highPrice: DecimalValue,
        lowPrice: DecimalValue,
        volume: DecimalValue,
        quoteVolume: DecimalValue,
        openTime: Int64,
        closeTime: Int64,
        firstId: Int64,
        lastId: Int64,
        count: Int64
    ) {
        self.symbol = symbol
        self.priceChange = priceChange
        self.priceChangePercent = priceChangePercent
        self.weightedAvgPrice = weightedAvgPrice
        self.prevClosePrice = prevClosePrice
        self.lastPrice = lastPrice
        self.lastQty = lastQty
        self.bidPrice = bidPrice
        self.bidQty = bidQty
        self.askPrice = askPrice
        self.askQty = askQty
        self.openPrice = openPrice
        self.highPrice = highPrice
        self.lowPrice = lowPrice
        self.volume = volume
        self.quoteVolume = quoteVolume
        self.openTime = openTime
        self.closeTime = closeTime
        self.firstId = firstId
        self.lastId = lastId
        self.count = count
    }
}

/// The best bid and ask of a symbol, from `GET /api/v3/ticker/bookTicker`.
package struct BookTicker: Codable, Sendable, Equatable {
    package var symbol: String
    package var bidPrice: DecimalValue
    package var bidQty: DecimalValue
    package var askPrice: DecimalValue
    package var askQty: DecimalValue

    package init(
        symbol: String,
        bidPrice: DecimalValue,
        bidQty: DecimalValue,
        askPrice: DecimalValue,
        askQty: DecimalValue
    ) {
        self.symbol = symbol
        self.bidPrice = bidPrice
        self.bidQty = bidQty
        self.askPrice = askPrice
        self.askQty = askQty
    }
}

/// The average price over the last `mins` minutes, from `GET /api/v3/avgPrice`.
package struct AveragePrice: Codable, Sendable, Equatable {
    package var mins: Int
    package var price: DecimalValue
    package var closeTime: Int64?

    package init(
        mins: Int,
        price: DecimalValue,
        closeTime: Int64? = nil
    ) {
        self.mins = mins
        self.price = price
        self.closeTime = closeTime
    }
}

/// One public trade, from `GET /api/v3/trades`.
package struct Trade: Codable, Sendable, Equatable {
    package var id: Int64
    package var price: DecimalValue
    package var qty: DecimalValue
    package var quoteQty: DecimalValue
    package var time: Int64
    package var isBuyerMaker: Bool
    package var isBestMatch: Bool

    package init(
        id: Int64,
        price: DecimalValue,
        qty: DecimalValue,
        quoteQty: DecimalValue,
        time: Int64,
        isBuyerMaker: Bool,
        isBestMatch: Bool
    ) {
        self.id = id
        self.price = price
        self.qty = qty
        self.quoteQty = quoteQty
        self.time = time
        self.isBuyerMaker = isBuyerMaker
        self.isBestMatch = isBestMatch
    }
}

/// One trade of the account, from `GET /api/v3/myTrades`.
package struct MyTrade: Codable, Sendable, Equatable {
    package var symbol: String
    package var id: Int64
    package var orderId: Int64
    package var orderListId: Int64?
    package var price: DecimalValue
    package var qty: DecimalValue
    package var quoteQty: DecimalValue
    package var commission: DecimalValue
    package var commissionAsset: String
    package var time: Int64
    package var isBuyer: Bool
    package var isMaker: Bool
    package var isBestMatch: Bool

    package init(
        symbol: String,
        id: Int64,
        orderId: Int64,
        orderListId: Int64? = nil,
        price: DecimalValue,
        qty: DecimalValue,
        quoteQty: DecimalValue,
        commission: DecimalValue,
        commissionAsset: String,
        time: Int64,
        isBuyer: Bool,
        isMaker: Bool,
        isBestMatch: Bool
    ) {
        self.symbol = symbol
        self.id = id
        self.orderId = orderId
        self.orderListId = orderListId
        self.price = price
        self.qty = qty
        self.quoteQty = quoteQty
        self.commission = commission
        self.commissionAsset = commissionAsset
        self.time = time
        self.isBuyer = isBuyer
        self.isMaker = isMaker
        self.isBestMatch = isBestMatch
    }
}
