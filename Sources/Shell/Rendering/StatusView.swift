import Tools

/// The `get_status` result as a form: venue, account, clock, request weight and the trading guard.
///
/// `trading allowed` is what an order would meet now: it reads `no` while trading is halted, even though the
/// venue's setting (`trading_allowed` in the JSON) stays on, so the two lines never disagree with the guard.
package enum StatusView {
    /// Members shown by the rows below; others follow under their own names.
    private static let knownKeys: Set<String> = [
        "venue", "baseURL", "hasCredentials", "clockOffsetMs", "clockSynchronized", "weightUsed", "weightLimit",
        "recvWindowMs", "tradingAllowed", "tradingGuard", "symbolAllowlist", "exchangeInfoAgeSeconds", "tools",
    ]
    private static let knownGuardKeys: Set<String> = [
        "venue", "halted", "trading_allowed", "real_money", "confirmation_required", "symbol_allowlist",
        "allowed_order_types", "paused_symbols",
    ]

    /// Returns the form, or nil when `data` is not a status (it has no `venue`).
    package static func render(_ data: JSONValue, style: TextStyle) -> String? {
        guard let members = data.objectValue, let venue = members["venue"]?.stringValue else { return nil }
        let guardState = members["tradingGuard"]?.objectValue ?? [:]
        var view = DetailView()

        let isRealMoney = guardState["real_money"]?.boolValue == true
        let money: String
        if isRealMoney {
            money = "real money"
        } else {
            money = venue == "sim" ? "paper money" : "test money"
        }
        view.add("venue", "\(venue) (\(money))")
        if let hasCredentials = members["hasCredentials"]?.boolValue {
            let account = venue == "sim" ? "the built-in paper account"
                : hasCredentials ? "API key configured" : "no API key: public data only"
            view.add("account", account)
        }
        if let url = members["baseURL"]?.stringValue { view.add("base URL", url) }
        if let offset = members["clockOffsetMs"] {
            let synchronized = members["clockSynchronized"]?.boolValue == false ? " (not synchronized yet)" : ""
            view.add("clock offset", DetailView.text(offset) + " ms" + synchronized)
        }
        if let used = members["weightUsed"] {
            let limit = members["weightLimit"].map { " of " + DetailView.text($0) } ?? ""
            view.add("request weight", DetailView.text(used) + limit + " used this minute")
        }
        if let window = members["recvWindowMs"] { view.add("recvWindow", DetailView.text(window) + " ms") }

        let halt = describeHalt(guardState["halted"])
        view.add("halted", halt.isHalted ? style.red(halt.text) : halt.text)
        view.add("trading allowed", tradingAllowed(members, guardState, isHalted: halt.isHalted, style: style))
        if let confirmation = guardState["confirmation_required"]?.boolValue {
            view.add("confirmation", confirmation ? "every order asks for confirmation" : "not required")
        }
        view.add("symbol allowlist", list(guardState["symbol_allowlist"] ?? members["symbolAllowlist"], empty: "all symbols"))
        if let types = guardState["allowed_order_types"] { view.add("order types", list(types, empty: "all")) }
        if let paused = guardState["paused_symbols"] { view.add("paused symbols", list(paused, empty: "none")) }
        if let ages = members["exchangeInfoAgeSeconds"]?.objectValue {
            let text = ages.keys.sorted().map { "\($0) \(DetailView.text(ages[$0]!)) s" }.joined(separator: ", ")
            view.add("exchangeInfo age", text.isEmpty ? "not loaded yet" : text)
        }
        if let tools = members["tools"] { view.add("tools", DetailView.text(tools)) }
        for key in guardState.keys.sorted() where !knownGuardKeys.contains(key) {
            view.add(key, DetailView.text(guardState[key]!))
        }
        for key in members.keys.sorted() where !knownKeys.contains(key) {
            view.add(key, DetailView.text(members[key]!))
        }
        return view.rendered()
    }

    /// `no`, or `yes, since TIME: REASON` from the guard's halt record (null when not halted).
    static func describeHalt(_ value: JSONValue?) -> (isHalted: Bool, text: String) {
        switch value {
        case nil, .null?, .bool(false)?:
            return (false, "no")
        case .object(let record)?:
            var text = "yes"
            if let since = record["since"] { text += ", since " + DetailView.text(since) }
            if let reason = record["reason"]?.stringValue { text += ": " + reason }
            return (true, text + " ('resume' lifts it)")
        default:
            return (true, "yes ('resume' lifts it)")
        }
    }

    private static func tradingAllowed(
        _ members: [String: JSONValue],
        _ guardState: [String: JSONValue],
        isHalted: Bool,
        style: TextStyle
    ) -> String {
        if isHalted { return style.red("no") + ": trading is halted" }
        let enabled = guardState["trading_allowed"]?.boolValue ?? members["tradingAllowed"]?.boolValue
        switch enabled {
        case true?: return "yes"
        case false?: return style.red("no") + ": trading is off on this venue (BINANCE_ALLOW_TRADING)"
        case nil: return "unknown"
        }
    }

    private static func list(_ value: JSONValue?, empty: String) -> String {
        guard let value else { return empty }
        let text = DetailView.text(value)
        return text.isEmpty || text == "[]" ? empty : text
    }
}
