/// Hints for MCP clients about what a tool does. All four are always declared.
package struct ToolAnnotations: Sendable, Hashable {
    package var readOnly: Bool
    package var destructive: Bool
    package var idempotent: Bool
    package var openWorld: Bool

    package init(readOnly: Bool, destructive: Bool, idempotent: Bool, openWorld: Bool = true) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }

    /// Market data and account reads.
    package static let read = ToolAnnotations(readOnly: true, destructive: false, idempotent: true)
    /// Local state only (status, previews that place nothing).
    package static let local = ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false)
}

/// Groups that order the shell's `help` listing.
package enum ToolGroup: String, Sendable, CaseIterable {
    case market = "Market data"
    case account = "Account"
    case trading = "Trading"
    case futures = "Futures"
    case wallet = "Wallet"
    case session = "Session"
}

/// The kind of value a parameter takes; it decides validation, the JSON schema and completion.
package enum ParameterKind: Sendable, Hashable {
    case string
    /// A trading pair such as `BTCUSDT`: upper-cased, `[A-Z0-9]{2,20}`.
    case symbol
    /// A coin or asset such as `BTC`.
    case asset
    /// A positive decimal in plain notation.
    case decimal
    /// A positive decimal, or `all` for the whole free balance.
    case quantity
    case integer(minimum: Int, maximum: Int)
    case boolean
    /// One of a closed set, matched without regard to case and sent upper-case.
    case enumeration([String])
    /// Milliseconds since the Unix epoch, or an ISO 8601 date or time.
    case timestamp
    /// A client order id: `^[a-zA-Z0-9-_]{1,36}$`.
    case clientOrderID
    /// An exchange order id: digits only.
    case orderID
}

/// One parameter of a tool, named as on the wire (`snake_case`).
package struct ToolParameter: Sendable, Hashable {
    package var name: String
    package var kind: ParameterKind
    package var isRequired: Bool
    package var summary: String
    /// Default shown in help and the schema; nil when there is none.
    package var defaultValue: String?

    package init(_ name: String, _ kind: ParameterKind, required: Bool = false, default defaultValue: String? = nil,
                 _ summary: String) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.summary = summary
        self.defaultValue = defaultValue
    }
}
