import BinanceAPI
import Foundation

/// Notional of the orders authorized today, per quote asset, kept in a file so the budget survives restarts.
///
/// An order counts from the moment the guard authorizes it; an exchange rejection gives its share back.
/// Days are UTC days. Two processes sharing the state directory each reload the file before a check, but
/// two orders authorized at the same instant by two processes can both pass.
package struct DailyNotionalLedger: Sendable {
    package static let fileName = "daily-notional.json"

    /// Path of the ledger file; nil keeps the ledger in memory only.
    package let path: String?
    /// Days since 1970-01-01 UTC of the totals below.
    package private(set) var day: Int = 0
    package private(set) var totals: [String: Decimal] = [:]
    private var reservations: [String: (asset: String, amount: Decimal)] = [:]

    package init(directory: String?) {
        path = directory.map { ($0 as NSString).appendingPathComponent(Self.fileName) }
    }

    package static func dayNumber(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Notional already authorized in `asset` on the day of `now`.
    package mutating func total(of asset: String, at now: Date) -> Decimal {
        reload(at: now)
        return totals[asset] ?? 0
    }

    /// Returns every total of the day of `now`, by quote asset.
    package mutating func totalsToday(at now: Date) -> [String: Decimal] {
        reload(at: now)
        return totals
    }

    /// Adds an authorized order's notional to today's total and saves the ledger.
    package mutating func add(_ amount: Decimal, of asset: String, clientOrderID: String, at now: Date) {
        reload(at: now)
        totals[asset, default: 0] += amount
        reservations[clientOrderID] = (asset, amount)
        save()
    }

    /// Gives back the notional of an order the exchange rejected.
    package mutating func release(clientOrderID: String, at now: Date) {
        reload(at: now)
        guard let reservation = reservations.removeValue(forKey: clientOrderID) else { return }
        totals[reservation.asset] = max(0, (totals[reservation.asset] ?? 0) - reservation.amount)
        save()
    }

    private mutating func reload(at now: Date) {
        let today = Self.dayNumber(of: now)
        if let path, let data = FileManager.default.contents(atPath: path), let json = try? JSONValue.parse(data),
            json["day"]?.decimalValue == Decimal(today)
        {
            day = today
            totals = (json["totals"]?.objectValue ?? [:]).compactMapValues { value in
                value.stringValue.flatMap { DecimalText.parse($0) }
            }
        } else if day != today {
            day = today
            totals = [:]
            reservations = [:]
        }
    }

    private func save() {
        guard let path else { return }
        let json: JSONValue = .object([
            "day": .int(day),
            "totals": .object(totals.mapValues { .string(DecimalText.format($0)) }),
        ])
        // A ledger that cannot be saved still counts in memory for this process.
        try? SecureFile.createDirectory(atPath: (path as NSString).deletingLastPathComponent)
        try? SecureFile.replaceContents(ofPath: path, with: Data((json.serialized() + "\n").utf8))
    }
}
