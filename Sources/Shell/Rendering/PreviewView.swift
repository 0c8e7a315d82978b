import Tools

/// The whole `preview_order` result as a form: the normalized order, its value, the estimated commission,
/// the share of the free balance, the exchange's own `order/test` verdict and every rounding applied.
package enum PreviewView {
    /// Order members in reading order, with their labels; members not listed follow under their own names.
    private static let orderFields: [(key: String, label: String)] = [
        ("symbol", "symbol"), ("side", "side"), ("type", "type"), ("quantity", "quantity"),
        ("quoteOrderQty", "quote quantity"), ("price", "price"), ("stopPrice", "stop price"),
        ("timeInForce", "time in force"), ("newClientOrderId", "client order id"),
    ]
    /// Top-level members shown by the rows below, or used inside them.
    private static let knownKeys: Set<String> = [
        "venue", "order", "notional", "notionalEstimated", "commission", "balance", "exchangeVerdict", "adjustments",
        "baseAsset", "quoteAsset", "placesOrder",
    ]

    /// Returns the form, or nil when `data` is not a preview (it has no `order` object).
    package static func render(_ data: JSONValue, style: TextStyle) -> String? {
        guard let members = data.objectValue, let order = members["order"]?.objectValue else { return nil }
        var view = DetailView()
        let quote = members["quoteAsset"]?.stringValue ?? ""

        var venue = members["venue"]?.stringValue ?? "?"
        if members["placesOrder"]?.boolValue == false { venue += ": a preview only, nothing is placed" }
        view.add("venue", venue)
        for field in orderFields {
            if let value = order[field.key] { view.add(field.label, DetailView.text(value)) }
        }
        for key in order.keys.sorted() where !orderFields.contains(where: { $0.key == key }) {
            view.add(key, DetailView.text(order[key]!))
        }

        if let notional = members["notional"]?.stringValue {
            let estimated = members["notionalEstimated"]?.boolValue == true ? ", estimated from the current price" : ""
            view.add("notional", "\(notional) \(quote)\(estimated)")
        }
        if let commission = members["commission"]?.objectValue, let amount = commission["amount"] {
            var text = DetailView.text(amount) + " " + (commission["asset"]?.stringValue ?? "")
            if let rate = commission["rate"] { text += ", at the taker rate " + DetailView.text(rate) }
            view.add("commission", text)
        }
        if let balance = members["balance"]?.objectValue, let share = balance["sharePercent"] {
            let asset = balance["asset"]?.stringValue ?? ""
            let free = balance["free"].map(DetailView.text) ?? "?"
            view.add("balance share", "\(DetailView.text(share)) % of the \(free) \(asset) free")
        }
        if let verdict = members["exchangeVerdict"]?.objectValue {
            view.add("exchange check", describeVerdict(verdict, style: style))
        }
        if let adjustments = members["adjustments"]?.arrayValue {
            view.add("rounding", adjustments.isEmpty ? "none" : adjustments.map(describeAdjustment).joined(separator: "\n"))
        }
        for key in members.keys.sorted() where !knownKeys.contains(key) {
            view.add(key, DetailView.text(members[key]!))
        }
        return view.rendered()
    }

    private static func describeVerdict(_ verdict: [String: JSONValue], style: TextStyle) -> String {
        if verdict["accepted"]?.boolValue == true { return style.green("accepted") + " by the exchange's order test" }
        var text = style.red("rejected") + " by the exchange's order test"
        if let message = verdict["message"]?.stringValue { text += ": " + message }
        if let code = verdict["code"] { text += " (code \(DetailView.text(code)))" }
        return text
    }

    private static func describeAdjustment(_ adjustment: JSONValue) -> String {
        let parameter = adjustment["parameter"]?.stringValue ?? "value"
        let requested = adjustment["requested"].map(DetailView.text) ?? "?"
        let adjusted = adjustment["adjusted"].map(DetailView.text) ?? "?"
        var text = "\(parameter) \(requested) -> \(adjusted)"
        if let reason = adjustment["reason"]?.stringValue { text += ": " + reason }
        return text
    }
}
