import BinanceAPI
import Foundation

/// The per-day notional budget: what orders reserved and spent today, per quote asset, in a file of the state
/// directory shared by every process of the user.
///
/// `reserve` checks the budget and records the order's notional in one step under an exclusive lock of the
/// file, so two processes that place orders at the same instant cannot both pass a budget that fits only one.
/// A reservation is given back when the exchange rejects the order (`release`) and reduced to the value that
/// actually traded when the order ends filled for less, canceled or expired (`settle`). Days are UTC days; a
/// new day starts with an empty ledger.
package struct DailyNotionalLedger: Sendable {
    package static let fileName = "daily-notional.json"

    /// The outcome of `reserve`.
    package enum Reservation: Sendable, Equatable {
        /// The order fits: `total` is today's total in its quote asset, the order included.
        case reserved(total: Decimal)
        /// The order would bring today's total to `total`, over the limit; nothing was recorded.
        case exceeded(total: Decimal)
    }

    /// Path of the ledger file; nil keeps the ledger in memory only.
    package let path: String?
    private let file: LockedStateFile?
    private var memory = LedgerState(day: 0)

    package init(directory: String?) {
        file = directory.map { LockedStateFile(directory: $0, name: Self.fileName) }
        path = file?.path
    }

    package static func dayNumber(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Notional already reserved or spent in `asset` on the day of `now`.
    package func total(of asset: String, at now: Date) -> Decimal {
        currentState(at: now).totals[asset] ?? 0
    }

    /// Returns every total of the day of `now`, by quote asset.
    package func totalsToday(at now: Date) -> [String: Decimal] {
        currentState(at: now).totals
    }

    /// Checks that `amount` fits under `limit` together with today's total, and records it if it does, as one
    /// step that no other process can interleave.
    /// - Throws: `internal_error` when the ledger file cannot be updated; the order must not be sent.
    package mutating func reserve(
        _ amount: Decimal,
        of asset: String,
        clientOrderID: String,
        limit: Decimal,
        at now: Date
    ) throws(ToolError) -> Reservation {
        try change(at: now, sync: true) { state in
            let total = (state.totals[asset] ?? 0) + amount
            guard total <= limit else { return (false, .exceeded(total: total)) }
            state.totals[asset] = total
            state.reservations[clientOrderID] = LedgerState.Entry(asset: asset, amount: amount)
            return (true, .reserved(total: total))
        }
    }

    /// Gives back the whole reservation of an order the exchange rejected.
    package mutating func release(clientOrderID: String, at now: Date) throws(ToolError) {
        try settle(clientOrderID: clientOrderID, spent: 0, at: now)
    }

    /// Replaces the reservation of an order that has ended with the notional it actually traded, and removes
    /// the order from the ledger. An order unknown to today's ledger (reserved on an earlier day, or already settled) changes
    /// nothing. A `spent` above the reservation (a market order that cost more than estimated) is counted.
    package mutating func settle(clientOrderID: String, spent: Decimal, at now: Date) throws(ToolError) {
        guard currentState(at: now).reservations[clientOrderID] != nil else { return }
        try change(at: now, sync: false) { state in
            guard let entry = state.reservations.removeValue(forKey: clientOrderID) else { return (false, ()) }
            state.totals[entry.asset] = max(0, (state.totals[entry.asset] ?? 0) - entry.amount + spent)
            return (true, ())
        }
    }

    // MARK: - State

    private func currentState(at now: Date) -> LedgerState {
        let today = Self.dayNumber(of: now)
        let state = file.map { LedgerState(json: $0.read()) } ?? memory
        return state.day == today ? state : LedgerState(day: today)
    }

    /// Applies `body` to today's state, in the file under its lock or in memory, and stores the state when
    /// `body` returns true.
    private mutating func change<Outcome>(
        at now: Date,
        sync: Bool,
        _ body: (inout LedgerState) -> (store: Bool, outcome: Outcome)
    ) throws(ToolError) -> Outcome {
        let today = Self.dayNumber(of: now)
        guard let file else {
            if memory.day != today { memory = LedgerState(day: today) }
            return body(&memory).outcome
        }
        do {
            return try file.update(sync: sync) { stored in
                var state = LedgerState(json: stored)
                if state.day != today { state = LedgerState(day: today) }
                let (store, outcome) = body(&state)
                return (store ? state.json : nil, outcome)
            }
        } catch {
            throw ToolError(
                .internalError,
                "The daily notional ledger '\(file.path)' cannot be updated: \(error.description).",
                hint: "Check that BINANCE_SHELL_HOME is writable; orders stay refused until it is."
            )
        }
    }
}

/// The contents of the ledger file: the day, the totals by quote asset and the open reservations.
private struct LedgerState {
    struct Entry {
        var asset: String
        var amount: Decimal
    }

    /// Days since 1970-01-01 UTC.
    var day: Int
    var totals: [String: Decimal] = [:]
    /// Reservations of orders that have not ended, by client order id.
    var reservations: [String: Entry] = [:]

    init(day: Int) {
        self.day = day
    }

    /// Reads the file's JSON; a missing or unreadable file gives an empty ledger of day 0, replaced by today's.
    init(json: JSONValue?) {
        guard let json, let day = json["day"]?.decimalValue else {
            self.init(day: 0)
            return
        }
        self.init(day: NSDecimalNumber(decimal: day).intValue)
        totals = (json["totals"]?.objectValue ?? [:]).compactMapValues { $0.stringValue.flatMap { DecimalText.parse($0) } }
        for (clientOrderID, entry) in json["reservations"]?.objectValue ?? [:] {
            guard let asset = entry["asset"]?.stringValue, let amountText = entry["amount"]?.stringValue,
                let amount = DecimalText.parse(amountText)
            else { continue }
            reservations[clientOrderID] = Entry(asset: asset, amount: amount)
        }
    }

    var json: JSONValue {
        .object([
            "day": .int(day),
            "totals": .object(totals.mapValues { .string(DecimalText.format($0)) }),
            "reservations": .object(
                reservations.mapValues { entry in
                    .object(["asset": .string(entry.asset), "amount": .string(DecimalText.format(entry.amount))])
                }
            ),
        ])
    }
}
