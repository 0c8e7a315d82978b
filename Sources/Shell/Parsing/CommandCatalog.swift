/// A shorter spelling of a tool call, such as `price BTCUSDT` for `get_ticker_price symbol=BTCUSDT`.
package struct ShortForm: Sendable {
    package enum Grammar: Sendable {
        /// Positional words fill these parameters in order; named `key=value` words are also accepted.
        case positional([String])
        /// `buy|sell [SYMBOL] QUANTITY [limit PRICE] [stop STOP]` with the side fixed.
        case order(side: String)
        /// `preview buy|sell …`: the order grammar with the side as first word.
        case orderWithSide
    }

    package var name: String
    package var toolName: String
    package var grammar: Grammar
    package var usage: String
    package var summary: String
}

/// A command of the shell itself (not a tool).
package struct SessionCommandInfo: Sendable {
    package var name: String
    package var usage: String
    package var summary: String
}

/// Every command word the shell understands besides tool names. Help, completion and the parser all use it.
package enum CommandCatalog {
    package static let shortForms: [ShortForm] = [
        ShortForm(
            name: "price", toolName: "get_ticker_price", grammar: .positional(["symbol"]),
            usage: "price [SYMBOL]", summary: "Latest price of a symbol"),
        ShortForm(
            name: "ticker", toolName: "get_ticker", grammar: .positional(["symbol"]),
            usage: "ticker [SYMBOL]", summary: "24-hour statistics of a symbol"),
        ShortForm(
            name: "book", toolName: "get_order_book", grammar: .positional(["symbol", "limit"]),
            usage: "book [SYMBOL] [LIMIT]", summary: "Order book: best bids and asks"),
        ShortForm(
            name: "balance", toolName: "get_balance", grammar: .positional(["asset"]),
            usage: "balance [ASSET]", summary: "Balances of the account"),
        ShortForm(
            name: "buy", toolName: "create_order", grammar: .order(side: "BUY"),
            usage: "buy [SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE]",
            summary: "Place a buy order: market unless a limit price is given"),
        ShortForm(
            name: "sell", toolName: "create_order", grammar: .order(side: "SELL"),
            usage: "sell [SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE]",
            summary: "Place a sell order: market unless a limit price is given"),
        ShortForm(
            name: "preview", toolName: "preview_order", grammar: .orderWithSide,
            usage: "preview buy|sell [SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE]",
            summary: "Check an order against the exchange's rules without placing it"),
        ShortForm(
            name: "orders", toolName: "get_orders", grammar: .positional(["symbol", "limit"]),
            usage: "orders [SYMBOL] [LIMIT]", summary: "Orders of a symbol, open and closed"),
        ShortForm(
            name: "open", toolName: "get_open_orders", grammar: .positional(["symbol"]),
            usage: "open [SYMBOL]", summary: "Open orders, of one symbol or all"),
        ShortForm(
            name: "cancel", toolName: "cancel_order", grammar: .positional(["symbol", "order_id"]),
            usage: "cancel [SYMBOL] ORDER_ID", summary: "Cancel an open order"),
        ShortForm(
            name: "assets", toolName: "get_available_assets", grammar: .positional(["quote_asset", "search"]),
            usage: "assets [QUOTE] [SEARCH]", summary: "Trading pairs, filtered by quote asset or text"),
        ShortForm(
            name: "klines", toolName: "get_klines", grammar: .positional(["symbol", "interval", "limit"]),
            usage: "klines [SYMBOL] INTERVAL [LIMIT]", summary: "Candlesticks of a symbol"),
        ShortForm(
            name: "status", toolName: "get_status", grammar: .positional([]),
            usage: "status", summary: "Venue, account, clock offset, rate-limit weight and trading guard"),
    ]

    package static let sessionCommands: [SessionCommandInfo] = [
        SessionCommandInfo(name: "help", usage: "help [COMMAND|TOOL]", summary: "List commands, or explain one"),
        SessionCommandInfo(name: "exit", usage: "exit", summary: "Leave the shell (also quit or Ctrl-D)"),
        SessionCommandInfo(name: "quit", usage: "quit", summary: "Leave the shell"),
        SessionCommandInfo(name: "format", usage: "format json|table", summary: "Print results as tables or JSON"),
        SessionCommandInfo(
            name: "set", usage: "set symbol SYMBOL|none",
            summary: "Default symbol for commands that omit it"),
        SessionCommandInfo(name: "utc", usage: "utc on|off", summary: "Show times in UTC instead of local time"),
        SessionCommandInfo(
            name: "watch", usage: "watch price|book|orders [SYMBOL]",
            summary: "Refresh a view in place until a key or Ctrl-C"),
        SessionCommandInfo(name: "halt", usage: "halt", summary: "Kill switch: stop all trading at once"),
        SessionCommandInfo(name: "resume", usage: "resume", summary: "Lift the kill switch"),
        SessionCommandInfo(
            name: "reset-paper", usage: "reset-paper [ASSET=AMOUNT ...]",
            summary: "Start a new paper account on the simulator, such as reset-paper USDT=10000 BTC=0.1"),
    ]

    package static func shortForm(named name: String) -> ShortForm? {
        shortForms.first { $0.name == name }
    }

    package static func sessionCommand(named name: String) -> SessionCommandInfo? {
        sessionCommands.first { $0.name == name }
    }
}
