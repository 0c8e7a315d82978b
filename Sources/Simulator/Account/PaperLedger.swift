import BinanceAPI
import Foundation

/// One spot order of the paper account.
struct PaperOrder: Sendable {
    var orderId: Int64
    var symbol: String
    var clientOrderId: String
    var side: String
    var type: String
    var timeInForce: String
    var price: Decimal
    var origQty: Decimal
    var executedQty: Decimal
    var cummulativeQuoteQty: Decimal
    var origQuoteOrderQty: Decimal
    var stopPrice: Decimal
    var status: String
    var time: Int64
    var updateTime: Int64
    var workingTime: Int64
    var isWorking: Bool
    /// Amount still locked for this order, in `lockedAsset`.
    var lockedAmount: Decimal
    var lockedAsset: String
    /// Visible part of an iceberg order; zero when the order is not an iceberg.
    var icebergQty: Decimal = 0
    var selfTradePreventionMode = "NONE"
    /// Trailing stop distance in basis points; zero when the order does not trail.
    var trailingDelta: Int64 = 0
    /// When a trailing order started tracking the price; -1 until then.
    var trailingTime: Int64 = -1
    /// Lowest (BUY) or highest (SELL) price since a trailing order started tracking; zero until then.
    var trailingExtreme: Decimal = 0

    var isTrailing: Bool { trailingDelta > 0 }
    /// True when the order has a member stored apart from the main order row.
    var hasDetails: Bool { icebergQty > 0 || selfTradePreventionMode != "NONE" || isTrailing }

    var isOpen: Bool { status == "NEW" || status == "PARTIALLY_FILLED" }
    var remaining: Decimal { origQty - executedQty }
    var isBuy: Bool { side == "BUY" }
    var isConditional: Bool { type == "STOP_LOSS_LIMIT" || type == "TAKE_PROFIT_LIMIT" || type == "STOP_LOSS" || type == "TAKE_PROFIT" }
}

/// One fill of a paper order.
struct PaperTrade: Sendable {
    var id: Int64
    var symbol: String
    var orderId: Int64
    var price: Decimal
    var qty: Decimal
    var quoteQty: Decimal
    var commission: Decimal
    var commissionAsset: String
    var time: Int64
    var isBuyer: Bool
    var isMaker: Bool
}

/// A futures position of the paper account.
struct PaperPosition: Sendable {
    var symbol: String
    var positionAmt: Decimal
    var entryPrice: Decimal
    var leverage: Int
    var updateTime: Int64
}

/// One futures income record (transfers, funding fees, realized profit).
struct PaperIncome: Sendable {
    var tranId: Int64
    var symbol: String
    var incomeType: String
    var income: Decimal
    var asset: String
    var info: String
    var time: Int64
    var tradeId: String
}

/// A daily balance snapshot for `accountSnapshot`.
struct PaperSnapshot: Sendable {
    var time: Int64
    var balances: [(asset: String, free: Decimal, locked: Decimal)]
}

/// The paper account: balances, orders, trades, futures positions and income, kept in memory and written
/// through to SQLite so the account survives restarts. The caller serializes access.
final class PaperLedger: @unchecked Sendable {
    private let database: SQLiteDatabase
    private(set) var balances: [String: (free: Decimal, locked: Decimal)] = [:]
    private(set) var orders: [Int64: PaperOrder] = [:]
    private(set) var trades: [PaperTrade] = []
    private(set) var positions: [String: PaperPosition] = [:]
    private(set) var income: [PaperIncome] = []
    private(set) var snapshots: [PaperSnapshot] = []
    private(set) var createdAt: Int64 = 0
    private(set) var updateTime: Int64 = 0
    private(set) var futuresWallet: Decimal = 0
    private var nextOrderId: Int64 = 1
    private var nextTradeId: Int64 = 1
    private var nextIncomeId: Int64 = 1
    /// Open order ids by symbol.
    private(set) var openOrderIds: [String: Set<Int64>] = [:]
    /// Cached extremes of each symbol's open orders; a symbol is dropped from the cache when its orders change.
    private var summaries: [String: OpenOrderSummary] = [:]
    private var ordersByClientId: [String: [Int64]] = [:]

    init(path: String) throws {
        database = try SQLiteDatabase(path: path)
        try createSchema()
    }

    private func createSchema() throws {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS balances (asset TEXT PRIMARY KEY, free TEXT NOT NULL, locked TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS orders (
                order_id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, client_order_id TEXT NOT NULL,
                side TEXT NOT NULL, type TEXT NOT NULL, time_in_force TEXT NOT NULL, price TEXT NOT NULL,
                orig_qty TEXT NOT NULL, executed_qty TEXT NOT NULL, cummulative_quote_qty TEXT NOT NULL,
                orig_quote_order_qty TEXT NOT NULL, stop_price TEXT NOT NULL, status TEXT NOT NULL,
                time INTEGER NOT NULL, update_time INTEGER NOT NULL, working_time INTEGER NOT NULL,
                is_working INTEGER NOT NULL, locked_amount TEXT NOT NULL, locked_asset TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS orders_client ON orders (client_order_id);
            CREATE TABLE IF NOT EXISTS order_details (
                order_id INTEGER PRIMARY KEY, iceberg_qty TEXT NOT NULL, self_trade_prevention_mode TEXT NOT NULL,
                trailing_delta INTEGER NOT NULL, trailing_time INTEGER NOT NULL, trailing_extreme TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS trades (
                id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, order_id INTEGER NOT NULL, price TEXT NOT NULL,
                qty TEXT NOT NULL, quote_qty TEXT NOT NULL, commission TEXT NOT NULL, commission_asset TEXT NOT NULL,
                time INTEGER NOT NULL, is_buyer INTEGER NOT NULL, is_maker INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS positions (
                symbol TEXT PRIMARY KEY, position_amt TEXT NOT NULL, entry_price TEXT NOT NULL,
                leverage INTEGER NOT NULL, update_time INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS income (
                tran_id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, income_type TEXT NOT NULL, income TEXT NOT NULL,
                asset TEXT NOT NULL, info TEXT NOT NULL, time INTEGER NOT NULL, trade_id TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS snapshots (time INTEGER PRIMARY KEY, balances TEXT NOT NULL);
            """)
    }

    /// True when the database held no account yet.
    var isEmpty: Bool { createdAt == 0 }

    // MARK: - Loading

    func load() throws {
        for row in try database.query("SELECT key, value FROM meta") {
            let value = row[1].string
            switch row[0].string {
            case "created_at": createdAt = Int64(value) ?? 0
            case "update_time": updateTime = Int64(value) ?? 0
            case "next_order_id": nextOrderId = Int64(value) ?? 1
            case "next_trade_id": nextTradeId = Int64(value) ?? 1
            case "next_income_id": nextIncomeId = Int64(value) ?? 1
            case "futures_wallet": futuresWallet = DecimalText.parse(value, allowNegative: true) ?? 0
            default: break
            }
        }
        balances = [:]
        for row in try database.query("SELECT asset, free, locked FROM balances") {
            balances[row[0].string] = (row[1].decimal, row[2].decimal)
        }
        orders = [:]
        openOrderIds = [:]
        ordersByClientId = [:]
        summaries = [:]
        let orderRows = try database.query("""
            SELECT order_id, symbol, client_order_id, side, type, time_in_force, price, orig_qty, executed_qty,
                   cummulative_quote_qty, orig_quote_order_qty, stop_price, status, time, update_time, working_time,
                   is_working, locked_amount, locked_asset FROM orders ORDER BY order_id
            """)
        var details: [Int64: [SQLiteValue]] = [:]
        let detailRows = try database.query("""
            SELECT order_id, iceberg_qty, self_trade_prevention_mode, trailing_delta, trailing_time, trailing_extreme
            FROM order_details
            """)
        for row in detailRows { details[row[0].int] = row }
        for row in orderRows {
            var order = PaperOrder(
                orderId: row[0].int, symbol: row[1].string, clientOrderId: row[2].string, side: row[3].string,
                type: row[4].string, timeInForce: row[5].string, price: row[6].decimal, origQty: row[7].decimal,
                executedQty: row[8].decimal, cummulativeQuoteQty: row[9].decimal, origQuoteOrderQty: row[10].decimal,
                stopPrice: row[11].decimal, status: row[12].string, time: row[13].int, updateTime: row[14].int,
                workingTime: row[15].int, isWorking: row[16].int != 0, lockedAmount: row[17].decimal,
                lockedAsset: row[18].string
            )
            if let detail = details[order.orderId] {
                order.icebergQty = detail[1].decimal
                order.selfTradePreventionMode = detail[2].string
                order.trailingDelta = detail[3].int
                order.trailingTime = detail[4].int
                order.trailingExtreme = detail[5].decimal
            }
            index(order)
        }
        trades = try database.query("""
            SELECT id, symbol, order_id, price, qty, quote_qty, commission, commission_asset, time, is_buyer, is_maker
            FROM trades ORDER BY id
            """).map { row in
            PaperTrade(
                id: row[0].int, symbol: row[1].string, orderId: row[2].int, price: row[3].decimal, qty: row[4].decimal,
                quoteQty: row[5].decimal, commission: row[6].decimal, commissionAsset: row[7].string, time: row[8].int,
                isBuyer: row[9].int != 0, isMaker: row[10].int != 0
            )
        }
        positions = [:]
        for row in try database.query("SELECT symbol, position_amt, entry_price, leverage, update_time FROM positions") {
            positions[row[0].string] = PaperPosition(
                symbol: row[0].string,
                positionAmt: DecimalText.parse(row[1].string, allowNegative: true) ?? 0,
                entryPrice: row[2].decimal,
                leverage: Int(row[3].int),
                updateTime: row[4].int
            )
        }
        income = try database.query("""
            SELECT tran_id, symbol, income_type, income, asset, info, time, trade_id FROM income ORDER BY time, tran_id
            """).map { row in
            PaperIncome(
                tranId: row[0].int, symbol: row[1].string, incomeType: row[2].string,
                income: DecimalText.parse(row[3].string, allowNegative: true) ?? 0, asset: row[4].string,
                info: row[5].string, time: row[6].int, tradeId: row[7].string
            )
        }
        snapshots = try database.query("SELECT time, balances FROM snapshots ORDER BY time").map { row in
            PaperSnapshot(time: row[0].int, balances: Self.decodeBalances(row[1].string))
        }
    }

    private func index(_ order: PaperOrder) {
        summaries[order.symbol] = nil
        if orders[order.orderId] == nil {
            ordersByClientId[order.clientOrderId, default: []].append(order.orderId)
        }
        orders[order.orderId] = order
        if order.isOpen {
            openOrderIds[order.symbol, default: []].insert(order.orderId)
        } else if openOrderIds[order.symbol]?.remove(order.orderId) != nil, openOrderIds[order.symbol]?.isEmpty == true {
            openOrderIds[order.symbol] = nil
        }
    }

    // MARK: - Transactions

    func transaction<T>(_ work: () throws -> T) throws -> T {
        try database.transaction(work)
    }

    private func setMeta(_ key: String, _ value: String) throws {
        try database.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
            .text(key), .text(value),
        ])
    }

    /// Creates a new account: balances, a futures wallet with two small positions, and the deposit history.
    func create(
        balances initial: [String: Decimal],
        futuresWallet wallet: Decimal,
        positions initialPositions: [PaperPosition],
        at time: Int64
    ) throws {
        try transaction {
            try database.execute("DELETE FROM balances; DELETE FROM orders; DELETE FROM order_details; DELETE FROM trades; DELETE FROM positions; DELETE FROM income; DELETE FROM snapshots; DELETE FROM meta;")
            balances = [:]
            orders = [:]
            trades = []
            openOrderIds = [:]
            summaries = [:]
            ordersByClientId = [:]
            positions = [:]
            income = []
            snapshots = []
            nextOrderId = 1
            nextTradeId = 1
            nextIncomeId = 1
            createdAt = time
            try setMeta("created_at", String(time))
            try setMeta("next_order_id", "1")
            try setMeta("next_trade_id", "1")
            try setMeta("next_income_id", "1")
            for (asset, amount) in initial.sorted(by: { $0.key < $1.key }) {
                try setBalance(asset, free: amount, locked: 0)
            }
            futuresWallet = wallet
            try setMeta("futures_wallet", DecimalText.format(wallet))
            if wallet > 0 {
                try addIncome(PaperIncome(
                    tranId: 0, symbol: "", incomeType: "TRANSFER", income: wallet, asset: "USDT",
                    info: "TRANSFER", time: time, tradeId: ""
                ))
            }
            for position in initialPositions { try setPosition(position) }
            try touch(time)
            try addSnapshot(at: time)
        }
    }

    func touch(_ time: Int64) throws {
        updateTime = time
        try setMeta("update_time", String(time))
    }

    func balance(_ asset: String) -> (free: Decimal, locked: Decimal) { balances[asset] ?? (0, 0) }

    func setBalance(_ asset: String, free: Decimal, locked: Decimal) throws {
        balances[asset] = (free, locked)
        try database.run(
            "INSERT INTO balances (asset, free, locked) VALUES (?, ?, ?) ON CONFLICT(asset) DO UPDATE SET free = excluded.free, locked = excluded.locked",
            [.text(asset), .text(DecimalText.format(free)), .text(DecimalText.format(locked))]
        )
    }

    /// Adds `freeDelta` and `lockedDelta` (either may be negative) to an asset's balance.
    func adjust(_ asset: String, free freeDelta: Decimal = 0, locked lockedDelta: Decimal = 0) throws {
        let current = balance(asset)
        try setBalance(asset, free: current.free + freeDelta, locked: current.locked + lockedDelta)
    }

    func allocateOrderId() throws -> Int64 {
        let id = nextOrderId
        nextOrderId += 1
        try setMeta("next_order_id", String(nextOrderId))
        return id
    }

    func save(_ order: PaperOrder) throws {
        index(order)
        try database.run("""
            INSERT OR REPLACE INTO orders (order_id, symbol, client_order_id, side, type, time_in_force, price, orig_qty,
                executed_qty, cummulative_quote_qty, orig_quote_order_qty, stop_price, status, time, update_time,
                working_time, is_working, locked_amount, locked_asset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
            .integer(order.orderId), .text(order.symbol), .text(order.clientOrderId), .text(order.side), .text(order.type),
            .text(order.timeInForce), .text(DecimalText.format(order.price)), .text(DecimalText.format(order.origQty)),
            .text(DecimalText.format(order.executedQty)), .text(DecimalText.format(order.cummulativeQuoteQty)),
            .text(DecimalText.format(order.origQuoteOrderQty)), .text(DecimalText.format(order.stopPrice)),
            .text(order.status), .integer(order.time), .integer(order.updateTime), .integer(order.workingTime),
            .integer(order.isWorking ? 1 : 0), .text(DecimalText.format(order.lockedAmount)), .text(order.lockedAsset),
        ])
        // Most orders have no details, so the extra row is written only for those that do.
        guard order.hasDetails else { return }
        try database.run("""
            INSERT OR REPLACE INTO order_details (order_id, iceberg_qty, self_trade_prevention_mode, trailing_delta,
                trailing_time, trailing_extreme)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [
            .integer(order.orderId), .text(DecimalText.format(order.icebergQty)), .text(order.selfTradePreventionMode),
            .integer(order.trailingDelta), .integer(order.trailingTime), .text(DecimalText.format(order.trailingExtreme)),
        ])
    }

    func addTrade(_ draft: PaperTrade) throws -> PaperTrade {
        var trade = draft
        trade.id = nextTradeId
        nextTradeId += 1
        try setMeta("next_trade_id", String(nextTradeId))
        trades.append(trade)
        try database.run("""
            INSERT INTO trades (id, symbol, order_id, price, qty, quote_qty, commission, commission_asset, time, is_buyer, is_maker)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
            .integer(trade.id), .text(trade.symbol), .integer(trade.orderId), .text(DecimalText.format(trade.price)),
            .text(DecimalText.format(trade.qty)), .text(DecimalText.format(trade.quoteQty)),
            .text(DecimalText.format(trade.commission)), .text(trade.commissionAsset), .integer(trade.time),
            .integer(trade.isBuyer ? 1 : 0), .integer(trade.isMaker ? 1 : 0),
        ])
        return trade
    }

    func setPosition(_ position: PaperPosition) throws {
        positions[position.symbol] = position
        try database.run(
            "INSERT OR REPLACE INTO positions (symbol, position_amt, entry_price, leverage, update_time) VALUES (?, ?, ?, ?, ?)",
            [
                .text(position.symbol), .text(DecimalText.format(position.positionAmt)),
                .text(DecimalText.format(position.entryPrice)), .integer(Int64(position.leverage)),
                .integer(position.updateTime),
            ]
        )
    }

    func addIncome(_ draft: PaperIncome) throws {
        var record = draft
        record.tranId = 9_000_000_000 + nextIncomeId
        nextIncomeId += 1
        try setMeta("next_income_id", String(nextIncomeId))
        income.append(record)
        try database.run(
            "INSERT INTO income (tran_id, symbol, income_type, income, asset, info, time, trade_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .integer(record.tranId), .text(record.symbol), .text(record.incomeType),
                .text(DecimalText.format(record.income)), .text(record.asset), .text(record.info),
                .integer(record.time), .text(record.tradeId),
            ]
        )
    }

    func setFuturesWallet(_ value: Decimal) throws {
        futuresWallet = value
        try setMeta("futures_wallet", DecimalText.format(value))
    }

    /// Records the current balances as the snapshot at `time`.
    func addSnapshot(at time: Int64) throws {
        let rows = balances.sorted(by: { $0.key < $1.key }).map { (asset: $0.key, free: $0.value.free, locked: $0.value.locked) }
        snapshots.append(PaperSnapshot(time: time, balances: rows))
        try database.run("INSERT OR REPLACE INTO snapshots (time, balances) VALUES (?, ?)", [
            .integer(time), .text(Self.encodeBalances(rows)),
        ])
    }

    private static func encodeBalances(_ rows: [(asset: String, free: Decimal, locked: Decimal)]) -> String {
        rows.map { "\($0.asset):\(DecimalText.format($0.free)):\(DecimalText.format($0.locked))" }.joined(separator: ";")
    }

    private static func decodeBalances(_ text: String) -> [(asset: String, free: Decimal, locked: Decimal)] {
        text.split(separator: ";").compactMap { item in
            let parts = item.split(separator: ":")
            guard parts.count == 3 else { return nil }
            return (String(parts[0]), DecimalText.parse(String(parts[1])) ?? 0, DecimalText.parse(String(parts[2])) ?? 0)
        }
    }

    // MARK: - Queries

    func order(id: Int64) -> PaperOrder? { orders[id] }

    /// All orders ever placed with this client order id, oldest first.
    func orders(clientOrderId: String) -> [PaperOrder] {
        (ordersByClientId[clientOrderId] ?? []).compactMap { orders[$0] }
    }

    func openOrders(symbol: String?) -> [PaperOrder] {
        let ids: [Int64]
        if let symbol {
            ids = Array(openOrderIds[symbol] ?? [])
        } else {
            ids = openOrderIds.values.flatMap { $0 }
        }
        return ids.compactMap { orders[$0] }.sorted { $0.orderId < $1.orderId }
    }

    var symbolsWithOpenOrders: [String] { openOrderIds.keys.sorted() }

    func openOrderCount(symbol: String) -> Int { openOrderIds[symbol]?.count ?? 0 }

    func openConditionalCount(symbol: String) -> Int {
        (openOrderIds[symbol] ?? []).reduce(0) { count, id in count + (orders[id]?.isConditional == true ? 1 : 0) }
    }

    /// Highest resting buy, lowest resting sell and oldest update of a symbol's open orders, cached until they change.
    func summary(symbol: String) -> OpenOrderSummary {
        if let cached = summaries[symbol] { return cached }
        var summary = OpenOrderSummary()
        for id in openOrderIds[symbol] ?? [] {
            guard let order = orders[id] else { continue }
            summary.oldestUpdate = min(summary.oldestUpdate, order.updateTime)
            if order.isConditional && !order.isWorking {
                summary.hasWaitingConditional = true
            } else if order.isBuy {
                summary.highestBuy = max(summary.highestBuy ?? order.price, order.price)
            } else {
                summary.lowestSell = min(summary.lowestSell ?? order.price, order.price)
            }
        }
        summaries[symbol] = summary
        return summary
    }
}

/// What matching needs to know about one symbol's open orders without visiting each of them.
struct OpenOrderSummary {
    var highestBuy: Decimal?
    var lowestSell: Decimal?
    /// True when a stop or take-profit order waits for its trigger.
    var hasWaitingConditional = false
    var oldestUpdate = Int64.max
}
