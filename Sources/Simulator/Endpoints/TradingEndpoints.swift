import BinanceAPI
import Foundation

/// One fill planned against the synthetic book.
struct PlannedFill {
    var price: Decimal
    var quantity: Decimal
}

extension ExchangeEngine {
    private static let eightDecimals = Decimal(string: "0.00000001")!

    // MARK: - New order

    func placeOrder(_ parameters: ReceivedParameters, context: inout RequestContext, test: Bool) throws(APIFailure) -> [UInt8] {
        let time = context.time
        if !test {
            switch limiter.admitOrder(at: time) {
            case .success(let headers): context.headers.merge(headers) { _, new in new }
            case .failure(let failure): throw failure
            }
        }
        let request = try readOrderRequest(parameters)
        if request.rules.status != "TRADING" || !request.rules.isSpotTradingAllowed {
            throw APIFailure(code: -2010, "Market is closed.")
        }
        try checkFilters(request, at: time)
        if test {
            var computeRates = false
            if let flag = try parameters.optional("computeCommissionRates") {
                guard flag == "true" || flag == "false" else { throw APIFailure.invalidParameter("computeCommissionRates") }
                computeRates = flag == "true"
            }
            guard computeRates else { return Array("{}".utf8) }
            return WireJSON.object([
                ("standardCommissionForOrder", .object([
                    ("maker", .decimal(options.makerCommission)), ("taker", .decimal(options.takerCommission)),
                ])),
                ("specialCommissionForOrder", .object([("maker", .decimal(0)), ("taker", .decimal(0))])),
                ("taxCommissionForOrder", .object([("maker", .decimal(0)), ("taker", .decimal(0))])),
                ("discount", discountJSON),
            ]).bytes
        }
        if let clientOrderId = request.clientOrderId,
           ledger.orders(clientOrderId: clientOrderId).contains(where: { $0.isOpen }) {
            throw APIFailure.duplicateOrder
        }
        var fills = [PaperTrade]()
        let order: PaperOrder
        do {
            order = try ledger.transaction { () throws -> PaperOrder in
                try execute(request, at: time, fills: &fills)
            }
        } catch let failure as APIFailure {
            throw failure
        } catch {
            options.logger.error("Paper order was not stored", ["symbol": request.rules.symbol, "error": "\(error)"])
            try? ledger.load()
            throw APIFailure(status: 500, code: -1000, "The paper account could not be updated.")
        }
        // Matching already ran up to `time`, so a new resting order only meets prices from now on.
        if order.isOpen { matchedUntil[order.symbol] = time }
        return newOrderJSON(order, fills: fills, responseType: request.responseType, transactTime: time).bytes
    }

    /// Checks balances, matches the order against the book, and stores it with its fills. Runs in a transaction.
    private func execute(_ request: OrderRequest, at time: Int64, fills: inout [PaperTrade]) throws -> PaperOrder {
        let rules = request.rules
        let book = SyntheticBook(rules: rules, market: market, at: time)
        let quoteBalance = ledger.balance(rules.quoteAsset).free
        let baseBalance = ledger.balance(rules.baseAsset).free

        // A trailing order whose stop price is already met starts tracking instead of triggering.
        if request.isAlgo, request.trailingDelta == nil, let stopPrice = request.stopPrice,
           conditionMet(type: request.type, isBuy: request.isBuy, stopPrice: stopPrice, low: book.price, high: book.price) {
            throw APIFailure.wouldTrigger
        }
        if request.type == "LIMIT_MAKER", let price = request.price {
            let crosses = request.isBuy ? price >= book.bestAsk.price : price <= (book.bestBid?.price ?? 0)
            if crosses { throw APIFailure.wouldTake }
        }

        var order = PaperOrder(
            orderId: 0, symbol: rules.symbol, clientOrderId: request.clientOrderId ?? "",
            side: request.side, type: request.type, timeInForce: request.timeInForce ?? "GTC",
            price: request.price ?? 0, origQty: request.quantity ?? 0, executedQty: 0, cummulativeQuoteQty: 0,
            origQuoteOrderQty: request.quoteOrderQty ?? 0, stopPrice: request.stopPrice ?? 0, status: "NEW",
            time: time, updateTime: time, workingTime: time, isWorking: true, lockedAmount: 0, lockedAsset: ""
        )
        order.icebergQty = request.icebergQty ?? 0
        order.selfTradePreventionMode = request.selfTradePreventionMode
        if let delta = request.trailingDelta {
            order.trailingDelta = delta
            let isActive = request.stopPrice.map {
                conditionMet(type: request.type, isBuy: request.isBuy, stopPrice: $0, low: book.price, high: book.price)
            } ?? true
            if isActive {
                order.trailingTime = time
                order.trailingExtreme = book.price
            }
        }

        let restsOrWaits = request.type != "MARKET"
        var plan = [PlannedFill]()
        if !request.isAlgo && request.type != "LIMIT_MAKER" {
            plan = planFills(book: book, isBuy: request.isBuy, limit: request.price, quantity: request.quantity,
                             quoteBudget: request.quoteOrderQty)
        }
        let plannedQuantity = plan.reduce(Decimal()) { $0 + $1.quantity }
        let plannedCost = plan.reduce(Decimal()) { $0 + $1.price * $1.quantity }

        // Balance checks: resting orders lock their whole size; market orders need what they will spend.
        if restsOrWaits {
            let quantity = request.quantity ?? 0
            if request.isBuy {
                let cost = (request.price ?? 0) * quantity
                // A market stop locks its value at the stop price, or for a trailing stop without one at the
                // price that would trigger it now.
                let trigger = request.stopPrice
                    ?? book.price * (1 + Decimal(request.trailingDelta ?? 0) / 10_000)
                let needed = request.type == "STOP_LOSS" || request.type == "TAKE_PROFIT" ? trigger * quantity : cost
                guard quoteBalance >= needed else { throw APIFailure.insufficientBalance }
                order.lockedAsset = rules.quoteAsset
                order.lockedAmount = needed
            } else {
                guard baseBalance >= quantity else { throw APIFailure.insufficientBalance }
                order.lockedAsset = rules.baseAsset
                order.lockedAmount = quantity
            }
        } else if request.isBuy {
            let needed = request.quoteOrderQty ?? plannedCost
            guard quoteBalance >= needed, quoteBalance >= plannedCost else { throw APIFailure.insufficientBalance }
        } else {
            let needed = request.quantity ?? plannedQuantity
            guard baseBalance >= needed else { throw APIFailure.insufficientBalance }
        }

        order.orderId = try ledger.allocateOrderId()
        if order.clientOrderId.isEmpty { order.clientOrderId = generatedClientOrderId(order.orderId) }
        if request.type == "MARKET", request.quoteOrderQty != nil { order.origQty = plannedQuantity }
        if order.lockedAmount > 0 {
            try ledger.adjust(order.lockedAsset, free: -order.lockedAmount, locked: order.lockedAmount)
        }

        if request.isAlgo {
            order.workingTime = -1
            order.isWorking = false
            try ledger.save(order)
            try ledger.touch(time)
            return order
        }

        let fillAll = request.timeInForce == "FOK"
        if fillAll, plannedQuantity < order.origQty {
            order.status = "EXPIRED"
            try releaseLock(&order)
            try ledger.save(order)
            try ledger.touch(time)
            return order
        }
        for planned in plan {
            fills.append(try applyFill(&order, rules: rules, price: planned.price, quantity: planned.quantity, isMaker: false, at: time))
        }
        if order.executedQty >= order.origQty, order.origQty > 0 {
            order.status = "FILLED"
        } else if request.type == "MARKET" || request.timeInForce == "IOC" {
            order.status = "EXPIRED"
        } else {
            order.status = order.executedQty > 0 ? "PARTIALLY_FILLED" : "NEW"
        }
        if !order.isOpen { try releaseLock(&order) }
        try ledger.save(order)
        try ledger.touch(time)
        return order
    }

    /// Walks the opposite side of the book: up to `quantity`, or spending up to `quoteBudget`, at prices no
    /// worse than `limit`.
    func planFills(book: SyntheticBook, isBuy: Bool, limit: Decimal?, quantity: Decimal?, quoteBudget: Decimal?) -> [PlannedFill] {
        var plan = [PlannedFill]()
        var remaining = quantity ?? 0
        var budget = quoteBudget ?? 0
        let step = book.rules.stepSize
        for index in 0..<SyntheticBook.maxLevels {
            let level: BookLevel
            if isBuy {
                level = book.ask(index)
                if let limit, level.price > limit { break }
            } else {
                guard let bid = book.bid(index) else { break }
                level = bid
                if let limit, level.price < limit { break }
            }
            var take: Decimal
            if quantity != nil {
                take = min(level.quantity, remaining)
            } else {
                let affordable = DecimalText.floor(budget / level.price, toMultipleOf: step)
                take = min(level.quantity, affordable)
            }
            guard take > 0 else { break }
            plan.append(PlannedFill(price: level.price, quantity: take))
            if quantity != nil {
                remaining -= take
                if remaining <= 0 { break }
            } else {
                budget -= take * level.price
            }
        }
        return plan
    }

    /// Books one fill: moves balances, charges the commission in the received asset, and records the trade.
    @discardableResult
    func applyFill(_ order: inout PaperOrder, rules: SymbolRules, price: Decimal, quantity: Decimal, isMaker: Bool, at time: Int64) throws -> PaperTrade {
        let quote = price * quantity
        let rate = isMaker ? options.makerCommission : options.takerCommission
        let commission: Decimal
        let commissionAsset: String
        if order.isBuy {
            commission = roundCommission(quantity * rate)
            commissionAsset = rules.baseAsset
            if order.lockedAsset == rules.quoteAsset, order.lockedAmount > 0 {
                let isLast = order.executedQty + quantity >= order.origQty
                // Limit prices fix the lock per unit; market stops locked their stop value, released pro rata.
                let perUnit = order.price > 0 ? order.price * quantity : order.lockedAmount * quantity / order.remaining
                let release = isLast ? order.lockedAmount : min(order.lockedAmount, perUnit)
                try ledger.adjust(rules.quoteAsset, free: release - quote, locked: -release)
                order.lockedAmount -= release
            } else {
                try ledger.adjust(rules.quoteAsset, free: -quote)
            }
            try ledger.adjust(rules.baseAsset, free: quantity - commission)
        } else {
            commission = roundCommission(quote * rate)
            commissionAsset = rules.quoteAsset
            if order.lockedAsset == rules.baseAsset, order.lockedAmount > 0 {
                let release = min(order.lockedAmount, quantity)
                try ledger.adjust(rules.baseAsset, locked: -release)
                order.lockedAmount -= release
            } else {
                try ledger.adjust(rules.baseAsset, free: -quantity)
            }
            try ledger.adjust(rules.quoteAsset, free: quote - commission)
        }
        order.executedQty += quantity
        order.cummulativeQuoteQty += quote
        order.updateTime = time
        return try ledger.addTrade(PaperTrade(
            id: 0, symbol: rules.symbol, orderId: order.orderId, price: price, qty: quantity, quoteQty: quote,
            commission: commission, commissionAsset: commissionAsset, time: time, isBuyer: order.isBuy, isMaker: isMaker
        ))
    }

    private func roundCommission(_ value: Decimal) -> Decimal {
        var source = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &source, 8, .plain)
        return rounded
    }

    /// Returns whatever the order still has locked to the free balance.
    func releaseLock(_ order: inout PaperOrder) throws {
        guard order.lockedAmount > 0 else { return }
        try ledger.adjust(order.lockedAsset, free: order.lockedAmount, locked: -order.lockedAmount)
        order.lockedAmount = 0
    }

    /// True when a stop or take-profit order's trigger lies within `[low, high]`.
    func conditionMet(type: String, isBuy: Bool, stopPrice: Decimal, low: Decimal, high: Decimal) -> Bool {
        let stop = type.hasPrefix("STOP_LOSS")
        // A stop-loss buys on a rise and sells on a fall; a take-profit does the opposite.
        if stop == isBuy { return high >= stopPrice }
        return low <= stopPrice
    }

    /// Returns a 22-character id in Binance's style, derived from the order id and the seed.
    private func generatedClientOrderId(_ orderId: Int64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var state = SplitMix.hash(options.seed ^ 0xC11E47, UInt64(bitPattern: orderId))
        var text = ""
        for _ in 0..<22 {
            text.append(alphabet[Int(state % UInt64(alphabet.count))])
            state = SplitMix.mix(state)
        }
        return text
    }

    // MARK: - Resting orders

    /// Fills and triggers resting orders whose prices the market crossed since the last request.
    func advanceMatching(to time: Int64) {
        for symbol in ledger.symbolsWithOpenOrders {
            guard let rules = catalog.rules(symbol) else { continue }
            let summary = ledger.summary(symbol: symbol)
            let from = max(matchedUntil[symbol] ?? summary.oldestUpdate, time - 86_400_000)
            matchedUntil[symbol] = time
            guard time > from else { continue }
            let samples = Int(min(200, max(2, (time - from) / 1000)))
            let extremes = market.range(rules, from: from, to: time, samples: samples)
            let buyCrossed = summary.highestBuy.map { extremes.low < $0 } ?? false
            let sellCrossed = summary.lowestSell.map { extremes.high > $0 } ?? false
            guard buyCrossed || sellCrossed || summary.hasWaitingConditional else { continue }
            let current = market.price(rules, at: time)
            let open = ledger.openOrders(symbol: symbol)
            let sorted = open.sorted { lhs, rhs in
                if lhs.price != rhs.price { return lhs.isBuy ? lhs.price > rhs.price : lhs.price < rhs.price }
                return lhs.orderId < rhs.orderId
            }
            do {
                try ledger.transaction {
                    for var order in sorted {
                        if order.isConditional || order.type == "STOP_LOSS" || order.type == "TAKE_PROFIT" {
                            guard !order.isWorking else {
                                try fillIfCrossed(&order, rules: rules, low: extremes.low, high: extremes.high, at: time)
                                continue
                            }
                            if order.isTrailing {
                                guard try trailingTriggered(&order, rules: rules, from: from, to: time) else { continue }
                            } else {
                                guard conditionMet(type: order.type, isBuy: order.isBuy, stopPrice: order.stopPrice,
                                                   low: extremes.low, high: extremes.high) else { continue }
                            }
                            try trigger(&order, rules: rules, current: current, at: time)
                        } else {
                            try fillIfCrossed(&order, rules: rules, low: extremes.low, high: extremes.high, at: time)
                        }
                    }
                }
            } catch {
                // The transaction rolled back the database; reload memory from it so both agree.
                options.logger.error("Matching resting orders failed", ["symbol": symbol, "error": "\(error)"])
                try? ledger.load()
            }
        }
    }

    /// Follows a waiting trailing order along the price path from `from` to `to` and stores its tracking state.
    /// The order starts tracking once its stop price is met (at once without one). It then remembers the lowest
    /// price (BUY) or the highest (SELL), and triggers when the price moves `trailingDelta` basis points back.
    /// - Returns: true when the order triggered in the interval.
    private func trailingTriggered(_ order: inout PaperOrder, rules: SymbolRules, from: Int64, to time: Int64) throws -> Bool {
        let samples = Int(min(200, max(2, (time - from) / 1000)))
        let delta = Decimal(order.trailingDelta) / 10_000
        let before = (order.trailingTime, order.trailingExtreme)
        var triggered = false
        for index in 1...samples {
            let moment = from + (time - from) * Int64(index) / Int64(samples)
            let price = market.price(rules, at: moment)
            if order.trailingTime < 0 {
                guard conditionMet(type: order.type, isBuy: order.isBuy, stopPrice: order.stopPrice, low: price, high: price)
                else { continue }
                order.trailingTime = moment
                order.trailingExtreme = price
                continue
            }
            if order.isBuy {
                order.trailingExtreme = min(order.trailingExtreme, price)
                if price >= order.trailingExtreme * (1 + delta) { triggered = true }
            } else {
                order.trailingExtreme = max(order.trailingExtreme, price)
                if price <= order.trailingExtreme * (1 - delta) { triggered = true }
            }
            if triggered { break }
        }
        if !triggered, before != (order.trailingTime, order.trailingExtreme) { try ledger.save(order) }
        return triggered
    }

    /// Fills a resting limit order in full at its price when the market traded through it.
    // NOTE: resting orders never fill partly, and fills do not deplete the synthetic book.
    private func fillIfCrossed(_ order: inout PaperOrder, rules: SymbolRules, low: Decimal, high: Decimal, at time: Int64) throws {
        let crossed = order.isBuy ? low < order.price : high > order.price
        guard crossed else { return }
        try fillAtLimit(&order, rules: rules, at: time)
    }

    /// Fills what remains of an order at its limit price as the maker, releases its lock and stores it.
    private func fillAtLimit(_ order: inout PaperOrder, rules: SymbolRules, at time: Int64) throws {
        guard order.remaining > 0 else { return }
        try applyFill(&order, rules: rules, price: order.price, quantity: order.remaining, isMaker: true, at: time)
        order.status = "FILLED"
        try releaseLock(&order)
        try ledger.save(order)
        try ledger.touch(time)
    }

    /// Turns a triggered stop or take-profit order into a working order and matches it.
    private func trigger(_ order: inout PaperOrder, rules: SymbolRules, current: Decimal, at time: Int64) throws {
        order.isWorking = true
        order.workingTime = time
        order.updateTime = time
        let book = SyntheticBook(rules: rules, market: market, at: time)
        let isMarketStop = order.type == "STOP_LOSS" || order.type == "TAKE_PROFIT"
        let plan = planFills(book: book, isBuy: order.isBuy, limit: isMarketStop ? nil : order.price,
                             quantity: order.remaining, quoteBudget: nil)
        if order.timeInForce == "FOK", plan.reduce(Decimal(), { $0 + $1.quantity }) < order.remaining {
            order.status = "EXPIRED"
        } else {
            for planned in plan {
                try applyFill(&order, rules: rules, price: planned.price, quantity: planned.quantity, isMaker: false, at: time)
            }
            if order.remaining <= 0 {
                order.status = "FILLED"
            } else if isMarketStop || order.timeInForce == "IOC" {
                order.status = "EXPIRED"
            } else {
                order.status = order.executedQty > 0 ? "PARTIALLY_FILLED" : "NEW"
            }
        }
        if !order.isOpen { try releaseLock(&order) }
        try ledger.save(order)
        try ledger.touch(time)
    }

    // MARK: - Query and cancel

    private func findOrder(_ parameters: ReceivedParameters, symbol: String, idName: String = "orderId",
                           clientName: String = "origClientOrderId") throws(APIFailure) -> PaperOrder? {
        let orderId = try parameters.integer(idName)
        let clientId = try parameters.optional(clientName)
        if orderId == nil, clientId == nil { throw APIFailure.eitherOr(clientName, idName) }
        if let orderId {
            guard let order = ledger.order(id: orderId), order.symbol == symbol else { return nil }
            if let clientId, order.clientOrderId != clientId { return nil }
            return order
        }
        let matches = ledger.orders(clientOrderId: clientId ?? "").filter { $0.symbol == symbol }
        return matches.last(where: { $0.isOpen }) ?? matches.last
    }

    func queryOrder(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.symbol()
        _ = try rules(symbol)
        guard let order = try findOrder(parameters, symbol: symbol) else { throw APIFailure.noSuchOrder }
        return orderJSON(order).bytes
    }

    /// Cancels one order. With `fillFirst` (the `fill-before-cancel` fault), an open order with a limit price is
    /// filled in full at that price before the cancel looks at it, so the cancel meets -2011. A stop order still
    /// waiting for its trigger is cancelled as usual.
    func cancelOrder(_ parameters: ReceivedParameters, at time: Int64, fillFirst: Bool = false) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.symbol()
        let symbolRules = try rules(symbol)
        var newClientId: String?
        if let value = try parameters.optional("newClientOrderId") {
            guard ReceivedParameters.matchesClientOrderId(value) else {
                throw APIFailure.illegalCharacters("newClientOrderId", legal: ReceivedParameters.clientOrderIdPattern)
            }
            newClientId = value
        }
        let restriction = try parameters.optional("cancelRestrictions")
        if let restriction, restriction != "ONLY_NEW", restriction != "ONLY_PARTIALLY_FILLED" {
            throw APIFailure(code: -1145, "Invalid cancelRestrictions")
        }
        guard let found = try findOrder(parameters, symbol: symbol), found.isOpen else { throw APIFailure.unknownOrderCancel }
        if fillFirst, found.price > 0, !found.isConditional || found.isWorking {
            try fillRacingCancel(found, rules: symbolRules, at: time)
            throw APIFailure.unknownOrderCancel
        }
        if restriction == "ONLY_NEW", found.status != "NEW" {
            throw APIFailure(code: -2011, "Order was not canceled due to cancel restrictions.")
        }
        if restriction == "ONLY_PARTIALLY_FILLED", found.status != "PARTIALLY_FILLED" {
            throw APIFailure(code: -2011, "Order was not canceled due to cancel restrictions.")
        }
        let canceled = try cancel(found, at: time)
        return cancelJSON(canceled, newClientOrderId: newClientId ?? generatedCancelId(canceled.orderId), at: time).bytes
    }

    private func cancel(_ found: PaperOrder, at time: Int64) throws(APIFailure) -> PaperOrder {
        var order = found
        do {
            try ledger.transaction {
                try releaseLock(&order)
                order.status = "CANCELED"
                order.updateTime = time
                try ledger.save(order)
                try ledger.touch(time)
            }
        } catch {
            options.logger.error("Paper cancel was not stored", ["orderId": String(found.orderId), "error": "\(error)"])
            try? ledger.load()
            throw APIFailure(status: 500, code: -1000, "The paper account could not be updated.")
        }
        return order
    }

    /// Fills an open order in full at its limit price, as a trade that reached the book just before a cancel.
    private func fillRacingCancel(_ found: PaperOrder, rules: SymbolRules, at time: Int64) throws(APIFailure) {
        var order = found
        do {
            try ledger.transaction {
                try fillAtLimit(&order, rules: rules, at: time)
            }
        } catch {
            options.logger.error("Paper fill before a cancel was not stored", ["orderId": String(found.orderId), "error": "\(error)"])
            try? ledger.load()
            throw APIFailure(status: 500, code: -1000, "The paper account could not be updated.")
        }
    }

    private func generatedCancelId(_ orderId: Int64) -> String {
        "cancel" + String(SplitMix.hash(options.seed, UInt64(bitPattern: orderId) ^ 0xCA11) % 10_000_000_000_000_000)
    }

    func cancelOpenOrders(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.symbol()
        _ = try rules(symbol)
        let open = ledger.openOrders(symbol: symbol)
        guard !open.isEmpty else { throw APIFailure.unknownOrderCancel }
        var items = [WireJSON]()
        for order in open {
            let canceled = try cancel(order, at: time)
            items.append(cancelJSON(canceled, newClientOrderId: generatedCancelId(canceled.orderId), at: time))
        }
        return WireJSON.array(items).bytes
    }

    func openOrders(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.optionalSymbol()
        if let symbol { _ = try rules(symbol) }
        return WireJSON.array(ledger.openOrders(symbol: symbol).map { orderJSON($0) }).bytes
    }

    func allOrders(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.symbol()
        _ = try rules(symbol)
        let fromId = try parameters.integer("orderId")
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        let limit = try parameters.limit(default: 500, maximum: 1000)
        if let start, let end {
            if start > end { throw APIFailure(code: -1023, "Start time is greater than end time.") }
            if end - start > 86_400_000 { throw APIFailure(code: -1127, "More than 24 hours between startTime and endTime.") }
        }
        var selected = ledger.orders.values.filter { order in
            guard order.symbol == symbol else { return false }
            if let fromId, order.orderId < fromId { return false }
            if let start, order.time < start { return false }
            if let end, order.time > end { return false }
            return true
        }.sorted { $0.orderId < $1.orderId }
        if fromId != nil || start != nil {
            selected = Array(selected.prefix(limit))
        } else {
            selected = Array(selected.suffix(limit))
        }
        return WireJSON.array(selected.map { orderJSON($0) }).bytes
    }

    func myTrades(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let symbol = try parameters.symbol()
        _ = try rules(symbol)
        let orderId = try parameters.integer("orderId")
        let fromId = try parameters.integer("fromId")
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        let limit = try parameters.limit(default: 500, maximum: 1000)
        if fromId != nil, start != nil || end != nil {
            throw APIFailure(code: -1128, "Combination of optional parameters invalid.")
        }
        if let start, let end {
            if start > end { throw APIFailure(code: -1023, "Start time is greater than end time.") }
            if end - start > 86_400_000 { throw APIFailure(code: -1127, "More than 24 hours between startTime and endTime.") }
        }
        var selected = ledger.trades.filter { trade in
            guard trade.symbol == symbol else { return false }
            if let orderId, trade.orderId != orderId { return false }
            if let fromId, trade.id < fromId { return false }
            if let start, trade.time < start { return false }
            if let end, trade.time > end { return false }
            return true
        }
        selected = fromId != nil || start != nil ? Array(selected.prefix(limit)) : Array(selected.suffix(limit))
        let orderLists = selected.map { trade -> WireJSON in
            .object([
                ("symbol", .string(trade.symbol)), ("id", .int(trade.id)), ("orderId", .int(trade.orderId)),
                ("orderListId", .int(-1)), ("price", .decimal(trade.price)), ("qty", .decimal(trade.qty)),
                ("quoteQty", .decimal(trade.quoteQty)), ("commission", .decimal(trade.commission)),
                ("commissionAsset", .string(trade.commissionAsset)), ("time", .int(trade.time)),
                ("isBuyer", .bool(trade.isBuyer)), ("isMaker", .bool(trade.isMaker)), ("isBestMatch", .bool(true)),
            ])
        }
        return WireJSON.array(orderLists).bytes
    }

    // MARK: - Account

    var discountJSON: WireJSON {
        .object([
            ("enabledForAccount", .bool(false)), ("enabledForSymbol", .bool(false)),
            ("discountAsset", .string("BNB")), ("discount", .decimal(Decimal(string: "0.75")!)),
        ])
    }

    var uid: Int64 { 100_000_000 + Int64(options.seed % 800_000_000) }

    func account(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        var omitZero = false
        if let flag = try parameters.optional("omitZeroBalances") {
            guard flag == "true" || flag == "false" else { throw APIFailure.invalidParameter("omitZeroBalances") }
            omitZero = flag == "true"
        }
        let balances = ledger.balances.sorted { $0.key < $1.key }
            .filter { !omitZero || $0.value.free != 0 || $0.value.locked != 0 }
            .map { entry -> WireJSON in
                .object([
                    ("asset", .string(entry.key)),
                    ("free", .decimal(entry.value.free)),
                    ("locked", .decimal(entry.value.locked)),
                ])
            }
        return WireJSON.object([
            ("makerCommission", .int(commissionBasisPoints(options.makerCommission))),
            ("takerCommission", .int(commissionBasisPoints(options.takerCommission))),
            ("buyerCommission", .int(0)), ("sellerCommission", .int(0)),
            ("commissionRates", .object([
                ("maker", .decimal(options.makerCommission)), ("taker", .decimal(options.takerCommission)),
                ("buyer", .decimal(0)), ("seller", .decimal(0)),
            ])),
            ("canTrade", .bool(true)), ("canWithdraw", .bool(false)), ("canDeposit", .bool(true)),
            ("brokered", .bool(false)), ("requireSelfTradePrevention", .bool(false)), ("preventSor", .bool(false)),
            ("updateTime", .int(ledger.updateTime)), ("accountType", .string("SPOT")),
            ("balances", .array(balances)), ("permissions", .array([.string("SPOT")])), ("uid", .int(uid)),
        ]).bytes
    }

    private func commissionBasisPoints(_ rate: Decimal) -> Int64 {
        NSDecimalNumber(decimal: rate * 10_000).int64Value
    }

    func commission(_ parameters: ReceivedParameters) throws(APIFailure) -> [UInt8] {
        let rules = try rules(try parameters.symbol())
        let zero = WireJSON.object([
            ("maker", .decimal(0)), ("taker", .decimal(0)), ("buyer", .decimal(0)), ("seller", .decimal(0)),
        ])
        return WireJSON.object([
            ("symbol", .string(rules.symbol)),
            ("standardCommission", .object([
                ("maker", .decimal(options.makerCommission)), ("taker", .decimal(options.takerCommission)),
                ("buyer", .decimal(0)), ("seller", .decimal(0)),
            ])),
            ("specialCommission", zero),
            ("taxCommission", zero),
            ("discount", discountJSON),
        ]).bytes
    }

    func orderRateLimits(at time: Int64) -> [UInt8] {
        let counts = limiter.orderCounts(at: time)
        return WireJSON.array([
            .object([
                ("rateLimitType", .string("ORDERS")), ("interval", .string("SECOND")), ("intervalNum", .int(10)),
                ("limit", .int(options.rateLimits.ordersPerTenSeconds)), ("count", .int(counts.tenSeconds)),
            ]),
            .object([
                ("rateLimitType", .string("ORDERS")), ("interval", .string("DAY")), ("intervalNum", .int(1)),
                ("limit", .int(options.rateLimits.ordersPerDay)), ("count", .int(counts.day)),
            ]),
        ]).bytes
    }

    // MARK: - Order JSON

    /// An order as `GET /api/v3/order`, `openOrders` and `allOrders` return it.
    func orderJSON(_ order: PaperOrder) -> WireJSON {
        .object([
            ("symbol", .string(order.symbol)), ("orderId", .int(order.orderId)), ("orderListId", .int(-1)),
            ("clientOrderId", .string(order.clientOrderId)), ("price", .decimal(order.price)),
            ("origQty", .decimal(order.origQty)), ("executedQty", .decimal(order.executedQty)),
            ("cummulativeQuoteQty", .decimal(order.cummulativeQuoteQty)), ("status", .string(order.status)),
            ("timeInForce", .string(order.timeInForce)), ("type", .string(order.type)), ("side", .string(order.side)),
            ("stopPrice", .decimal(order.stopPrice)), ("icebergQty", .decimal(order.icebergQty)), ("time", .int(order.time)),
            ("updateTime", .int(order.updateTime)), ("isWorking", .bool(order.isWorking)),
            ("workingTime", .int(order.workingTime)), ("origQuoteOrderQty", .decimal(order.origQuoteOrderQty)),
            ("selfTradePreventionMode", .string(order.selfTradePreventionMode)),
        ] + trailingFields(order))
    }

    /// `trailingDelta` and `trailingTime`, which Binance shows only on trailing stop orders.
    private func trailingFields(_ order: PaperOrder) -> [(String, WireJSON)] {
        guard order.isTrailing else { return [] }
        return [("trailingDelta", .int(order.trailingDelta)), ("trailingTime", .int(order.trailingTime))]
    }

    private func newOrderJSON(_ order: PaperOrder, fills: [PaperTrade], responseType: String, transactTime: Int64) -> WireJSON {
        var fields: [(String, WireJSON)] = [
            ("symbol", .string(order.symbol)), ("orderId", .int(order.orderId)), ("orderListId", .int(-1)),
            ("clientOrderId", .string(order.clientOrderId)), ("transactTime", .int(transactTime)),
        ]
        guard responseType != "ACK" else { return .object(fields) }
        fields += [
            ("price", .decimal(order.price)), ("origQty", .decimal(order.origQty)),
            ("executedQty", .decimal(order.executedQty)), ("origQuoteOrderQty", .decimal(order.origQuoteOrderQty)),
            ("cummulativeQuoteQty", .decimal(order.cummulativeQuoteQty)), ("status", .string(order.status)),
            ("timeInForce", .string(order.timeInForce)), ("type", .string(order.type)), ("side", .string(order.side)),
        ]
        if order.stopPrice > 0 { fields.append(("stopPrice", .decimal(order.stopPrice))) }
        if order.icebergQty > 0 { fields.append(("icebergQty", .decimal(order.icebergQty))) }
        fields += trailingFields(order)
        fields += [("workingTime", .int(order.workingTime)), ("selfTradePreventionMode", .string(order.selfTradePreventionMode))]
        if responseType == "FULL" {
            fields.append(("fills", .array(fills.map { fill in
                .object([
                    ("price", .decimal(fill.price)), ("qty", .decimal(fill.qty)),
                    ("commission", .decimal(fill.commission)), ("commissionAsset", .string(fill.commissionAsset)),
                    ("tradeId", .int(fill.id)),
                ])
            })))
        }
        return .object(fields)
    }

    private func cancelJSON(_ order: PaperOrder, newClientOrderId: String, at time: Int64) -> WireJSON {
        var fields: [(String, WireJSON)] = [
            ("symbol", .string(order.symbol)), ("origClientOrderId", .string(order.clientOrderId)),
            ("orderId", .int(order.orderId)), ("orderListId", .int(-1)), ("clientOrderId", .string(newClientOrderId)),
            ("transactTime", .int(time)), ("price", .decimal(order.price)), ("origQty", .decimal(order.origQty)),
            ("executedQty", .decimal(order.executedQty)), ("origQuoteOrderQty", .decimal(order.origQuoteOrderQty)),
            ("cummulativeQuoteQty", .decimal(order.cummulativeQuoteQty)), ("status", .string(order.status)),
            ("timeInForce", .string(order.timeInForce)), ("type", .string(order.type)), ("side", .string(order.side)),
        ]
        if order.stopPrice > 0 { fields.append(("stopPrice", .decimal(order.stopPrice))) }
        if order.icebergQty > 0 { fields.append(("icebergQty", .decimal(order.icebergQty))) }
        fields += trailingFields(order)
        fields.append(("selfTradePreventionMode", .string(order.selfTradePreventionMode)))
        return .object(fields)
    }
}
