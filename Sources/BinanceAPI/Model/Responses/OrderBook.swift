/// One price level of an order book; on the wire a two-element array `["price", "quantity"]`.
package struct PriceLevel: Codable, Sendable, Equatable {
    package var price: DecimalValue
    package var quantity: DecimalValue

    package init(price: DecimalValue, quantity: DecimalValue) {
        self.price = price
        self.quantity = quantity
    }

    package init(from decoder: any Decoder) throws {
        var pair = try decoder.unkeyedContainer()
        price = try pair.decode(DecimalValue.self)
        quantity = try pair.decode(DecimalValue.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var pair = encoder.unkeyedContainer()
        try pair.encode(price)
        try pair.encode(quantity)
    }
}

/// The order book of a symbol, from `GET /api/v3/depth`: bids best (highest) first, asks best (lowest) first.
package struct OrderBook: Codable, Sendable, Equatable {
    package var lastUpdateId: Int64
    package var bids: [PriceLevel]
    package var asks: [PriceLevel]

    package init(lastUpdateId: Int64, bids: [PriceLevel], asks: [PriceLevel]) {
        self.lastUpdateId = lastUpdateId
        self.bids = bids
        self.asks = asks
    }
}

/// One aggregated trade, from `GET /api/v3/aggTrades` (Binance's one-letter keys).
package struct AggregateTrade: Codable, Sendable, Equatable {
    package var id: Int64
    package var price: DecimalValue
    package var quantity: DecimalValue
    package var firstTradeId: Int64
    package var lastTradeId: Int64
    package var time: Int64
    package var isBuyerMaker: Bool
    package var isBestMatch: Bool?

    package init(
        id: Int64,
        price: DecimalValue,
        quantity: DecimalValue,
        firstTradeId: Int64,
        lastTradeId: Int64,
        time: Int64,
        isBuyerMaker: Bool,
        isBestMatch: Bool? = nil
    ) {
        self.id = id
        self.price = price
        self.quantity = quantity
        self.firstTradeId = firstTradeId
        self.lastTradeId = lastTradeId
        self.time = time
        self.isBuyerMaker = isBuyerMaker
        self.isBestMatch = isBestMatch
    }

    private enum CodingKeys: String, CodingKey {
        case id = "a"
        case price = "p"
        case quantity = "q"
        case firstTradeId = "f"
        case lastTradeId = "l"
        case time = "T"
        case isBuyerMaker = "m"
        case isBestMatch = "M"
    }
}
