import BinanceAPI
import Foundation

/// The part of `preview_order` and `create_order` that is the same: fetch the symbol's rules, the account
/// and the average price, then run `OrderCheck`.
struct OrderPreparation {
    /// An order that passed the local checks, with what the preview shows about it.
    struct Prepared {
        var draft: OrderDraft
        var rules: SymbolRules
        var environment: OrderEnvironment
        var order: CheckedOrder
    }

    let gateway: ExchangeGateway

    func prepare(_ arguments: ToolArguments) async throws(ToolError) -> Prepared {
        let draft = OrderDraft(arguments)
        let rules = try await gateway.exchangeInfo.rules(for: draft.symbol, market: .spot)
        let account = try await gateway.json(.account)
        let balances = try Balances(account)
        let average = try await gateway.json(.avgPrice, ["symbol": draft.symbol])
        var environment = OrderEnvironment(
            averagePrice: DataShape.decimal(average["price"]),
            freeBase: balances.free(rules.baseAsset),
            freeQuote: balances.free(rules.quoteAsset),
            takerCommissionRate: DataShape.decimal(account["commissionRates"]?["taker"])
        )
        if OrderCheck.needsOpenOrderCounts(draft, rules: rules) {
            let types = try await openOrderTypes(draft.symbol)
            environment.openOrderCount = types.count
            environment.openAlgoOrderCount = types.filter(OrderCheck.algoOrderTypes.contains).count
        }
        let order = try OrderCheck.check(draft, rules: rules, environment: environment)
        return Prepared(draft: draft, rules: rules, environment: environment, order: order)
    }

    /// The one member of an open order that counting needs.
    private struct OpenOrderType: Decodable {
        var type: String
    }

    /// Returns the type of each open order on `symbol` (request weight 6).
    ///
    /// The orders are counted fresh for each new order, because orders placed, filled or canceled elsewhere
    /// change the count and a local tally would drift. Only `type` is decoded, since a symbol may have hundreds.
    func openOrderTypes(_ symbol: String) async throws(ToolError) -> [String] {
        do {
            return try await gateway.client.send(
                .openOrders,
                ["symbol": symbol],
                as: [OpenOrderType].self,
                waitPolicy: gateway.waitPolicy,
                progress: gateway.progress
            ).map(\.type)
        } catch {
            throw ToolError(binance: error, endpoint: .openOrders, symbol: symbol)
        }
    }

    /// Builds the preview: the normalized order, its value, the estimated commission and the share of the free balance.
    func preview(_ prepared: Prepared) -> [String: JSONValue] {
        let order = prepared.order
        var data: [String: JSONValue] = [
            "venue": .string(gateway.venue.rawValue),
            "order": order.json,
            "baseAsset": .string(order.baseAsset),
            "quoteAsset": .string(order.quoteAsset),
            "notionalEstimated": .bool(order.isNotionalEstimated),
            "adjustments": order.adjustmentsJSON,
        ]
        if let notional = order.notional { data["notional"] = .string(DecimalText.format(notional)) }
        if let commission = commission(order, environment: prepared.environment) {
            data["commission"] = commission
        }
        if let balance = balanceShare(order, environment: prepared.environment) { data["balance"] = balance }
        return data
    }

    /// Estimates the commission at the taker rate, an upper bound: BUY pays in the base asset, SELL in the quote asset.
    func commission(_ order: CheckedOrder, environment: OrderEnvironment) -> JSONValue? {
        guard let rate = environment.takerCommissionRate else { return nil }
        let amount: Decimal
        let asset: String
        if order.side == "BUY" {
            var quantity = order.quantity
            if quantity == nil, let notional = order.notional, let average = environment.averagePrice, average > 0 {
                quantity = notional / average
            }
            guard let quantity else { return nil }
            amount = quantity * rate
            asset = order.baseAsset
        } else {
            guard let notional = order.notional else { return nil }
            amount = notional * rate
            asset = order.quoteAsset
        }
        return [
            "rate": .string(DecimalText.format(rate)),
            "amount": .string(DecimalText.format(Self.rounded(amount, scale: 8))),
            "asset": .string(asset),
        ]
    }

    /// Computes the share of the free balance the order uses, in percent: the quote asset for BUY, the base for SELL.
    func balanceShare(_ order: CheckedOrder, environment: OrderEnvironment) -> JSONValue? {
        let asset: String
        let free: Decimal?
        let used: Decimal?
        if order.side == "BUY" {
            asset = order.quoteAsset
            free = environment.freeQuote
            used = order.notional
        } else {
            asset = order.baseAsset
            free = environment.freeBase
            used = order.quantity
        }
        guard let free else { return nil }
        var balance: [String: JSONValue] = ["asset": .string(asset), "free": .string(DecimalText.format(free))]
        if let used, free > 0 {
            balance["sharePercent"] = .string(DecimalText.format(Self.rounded(used / free * 100, scale: 2)))
        }
        return .object(balance)
    }

    static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var source = value
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, .plain)
        return result
    }

    /// Schema of the preview members shared by `preview_order` and `create_order`.
    static let previewProperties: [String: JSONValue] = [
        "venue": DataShape.string,
        "order": DataShape.object(
            [
                "symbol": DataShape.string, "side": DataShape.string, "type": DataShape.string,
                "timeInForce": DataShape.string, "quantity": DataShape.decimal, "quoteOrderQty": DataShape.decimal,
                "price": DataShape.decimal, "stopPrice": DataShape.decimal, "trailingDelta": DataShape.integer,
                "icebergQty": DataShape.decimal, "selfTradePreventionMode": DataShape.string,
            ],
            required: ["symbol", "side", "type"]
        ),
        "baseAsset": DataShape.string,
        "quoteAsset": DataShape.string,
        "notional": DataShape.decimal,
        "notionalEstimated": DataShape.boolean,
        "commission": DataShape.object(
            ["rate": DataShape.decimal, "amount": DataShape.decimal, "asset": DataShape.string],
            required: ["rate", "amount", "asset"]
        ),
        "balance": DataShape.object(
            ["asset": DataShape.string, "free": DataShape.decimal, "sharePercent": DataShape.decimal],
            required: ["asset", "free"]
        ),
        "adjustments": DataShape.array(of: DataShape.object(
            ["parameter": DataShape.string, "requested": DataShape.string, "adjusted": DataShape.decimal,
             "reason": DataShape.string],
            required: ["parameter", "requested", "adjusted", "reason"]
        )),
    ]
}
