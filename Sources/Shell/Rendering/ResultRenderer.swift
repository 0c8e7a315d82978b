import BinanceAPI
import Foundation
import Tools

/// Digits after the point for a symbol's prices and quantities, from its `tickSize` and `stepSize` filters.
package struct SymbolPrecision: Sendable, Equatable {
    package var priceScale: Int
    package var quantityScale: Int

    package init(priceScale: Int, quantityScale: Int) {
        self.priceScale = priceScale
        self.quantityScale = quantityScale
    }
}

/// Settings that change how results look.
package struct RenderOptions: Sendable {
    package var format: OutputFormat = .table
    /// Shows times in UTC instead of the local time zone.
    package var usesUTC = false
    /// The local time zone; tests set a fixed one.
    package var localTimeZone: TimeZone = .current
    package var style: TextStyle = .plain
    /// Looks up a symbol's precision; nil when unknown.
    package var precision: @Sendable (String) -> SymbolPrecision? = { _ in nil }
    /// Returns the columns that help text wraps at; nil (scripts) leaves lines unwrapped.
    package var terminalWidth: @Sendable () -> Int? = { nil }

    package init() {}
}

/// Turns successful tool results into text: tables for people, one JSON line for programs.
package struct ResultRenderer: Sendable {
    package var options: RenderOptions

    package init(options: RenderOptions) { self.options = options }

    /// Returns the text for a result; JSON mode prints the result object (the same as MCP's structuredContent).
    /// - Parameter layout: the tool's table hint: which rows and columns to show; nil lays out everything.
    package func render(_ result: ToolResult, layout: TableLayout? = nil) -> String {
        if options.format == .json { return result.structured.serialized() }
        guard let data = result.data else { return result.structured.serialized() }
        if let layout, let members = data.objectValue, let text = render(members, layout: layout) { return text }
        return render(data, context: CellContext())
    }

    // MARK: - Tool layouts

    /// Order members shown when a result carries one order besides its table rows.
    private static let orderColumns = ["symbol", "orderId", "side", "type", "status", "price", "origQty", "executedQty"]

    /// Lays out `data` by the tool's hint; returns nil when the data does not have the expected shape.
    private func render(_ members: [String: JSONValue], layout: TableLayout) -> String? {
        var context = CellContext()
        context.symbol = members["symbol"]?.stringValue
        if members["bids"] != nil, members["asks"] != nil { return renderBook(members, context: context) }

        guard let rowsName = layout.rows else {
            let source = Self.rowSource(members, columns: layout.columns)
            return table([source], columns: layout.columns, context: context)
        }
        guard let rows = members[rowsName]?.arrayValue else { return nil }
        var sections: [String] = []
        for (key, value) in members.sorted(by: { $0.key < $1.key }) where key != rowsName {
            if let order = value.objectValue, order["orderId"] != nil {
                sections.append(table([order], columns: Self.orderColumns, context: context))
            }
        }
        let objects = rows.compactMap(\.objectValue)
        if rows.isEmpty {
            sections.append(options.style.dim("(no \(rowsName))"))
        } else if objects.count == rows.count {
            sections.append(table(objects, columns: layout.columns, context: context))
        } else {
            return nil
        }
        return sections.joined(separator: "\n\n")
    }

    /// Returns the object with a one-row layout's columns: `data` itself, or its nested object (such as `order`)
    /// that has more of the columns.
    private static func rowSource(_ members: [String: JSONValue], columns: [String]) -> [String: JSONValue] {
        func score(_ object: [String: JSONValue]) -> Int { columns.filter { object[$0] != nil }.count }
        var best = members
        for value in members.values {
            if let nested = value.objectValue, score(nested) > score(best) { best = nested }
        }
        return best
    }

    /// Builds a table of `objects` with the `columns` that at least one object has, in order.
    private func table(_ objects: [[String: JSONValue]], columns: [String], context: CellContext) -> String {
        let present = columns.filter { column in objects.contains { $0[column] != nil } }
        let rows = objects.map { object -> [String] in
            var rowContext = context
            if let symbol = object["symbol"]?.stringValue { rowContext.symbol = symbol }
            let isOrder = Self.isOrder(object)
            return present.map { column in
                rowContext.key = column
                if isOrder, column == "price", let price = orderPriceCell(object, context: rowContext) { return price }
                return object[column].map { cell($0, context: rowContext) } ?? ""
            }
        }
        return TextTable(headers: present, rows: rows).rendered(header: options.style.bold)
    }

    // MARK: - Values

    struct CellContext {
        var key: String?
        var symbol: String?
    }

    func render(_ value: JSONValue, context: CellContext) -> String {
        switch value {
        case .array(let elements):
            return renderArray(elements, context: context)
        case .object(let members):
            return renderObject(members, context: context)
        default:
            return cell(value, context: context)
        }
    }

    private func renderArray(_ elements: [JSONValue], context: CellContext) -> String {
        if elements.isEmpty { return options.style.dim("(none)") }
        if elements.allSatisfy({ $0.objectValue != nil }) {
            return rowTable(elements.compactMap(\.objectValue), context: context)
        }
        if elements.allSatisfy({ $0.arrayValue != nil }) {
            let rows = elements.compactMap(\.arrayValue)
            let width = rows.map(\.count).max() ?? 0
            let headers = (0..<width).map { String($0 + 1) }
            let cells = rows.map { row in row.map { cell($0, context: context) } }
            return TextTable(headers: headers, rows: cells).rendered(header: options.style.bold)
        }
        return elements.map { render($0, context: context) }.joined(separator: "\n")
    }

    private func renderObject(_ members: [String: JSONValue], context: CellContext) -> String {
        var context = context
        if let symbol = members["symbol"]?.stringValue { context.symbol = symbol }
        if let book = renderBook(members, context: context) { return book }

        let keys = Self.orderedKeys(members.keys)
        let scalarKeys = keys.filter { Self.isScalar(members[$0]!) }
        var sections: [String] = []
        if !scalarKeys.isEmpty {
            let isOrder = Self.isOrder(members)
            let rows = scalarKeys.map { key -> [String] in
                var cellContext = context
                cellContext.key = key
                if isOrder, key == "price", let price = orderPriceCell(members, context: cellContext) {
                    return [key, price]
                }
                return [key, cell(members[key]!, context: cellContext)]
            }
            let alignments: [TextTable.Alignment] = [.left, .mixed]
            let table = TextTable(headers: ["", ""], rows: rows, alignments: alignments)
            sections.append(table.renderedRows().joined(separator: "\n"))
        }
        for key in keys where !Self.isScalar(members[key]!) {
            var nested = context
            nested.key = key
            sections.append(options.style.bold(key) + "\n" + render(members[key]!, context: nested))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Renders `{"bids": [[price, qty]…], "asks": […]}` as one ladder: asks from high to low above the bids.
    private func renderBook(_ members: [String: JSONValue], context: CellContext) -> String? {
        guard let bids = members["bids"]?.arrayValue, let asks = members["asks"]?.arrayValue else { return nil }
        func level(_ value: JSONValue) -> (price: JSONValue, quantity: JSONValue)? {
            if let pair = value.arrayValue, pair.count >= 2 { return (pair[0], pair[1]) }
            if let object = value.objectValue, let price = object["price"] {
                return (price, object["quantity"] ?? object["qty"] ?? .null)
            }
            return nil
        }
        let askLevels = asks.compactMap(level).reversed()
        let bidLevels = bids.compactMap(level)
        var priceContext = context
        priceContext.key = "price"
        var quantityContext = context
        quantityContext.key = "quantity"
        // Every level has the same symbol and keys, so their scales are looked up once.
        let priceScale = displayScale(priceContext)
        let quantityScale = displayScale(quantityContext)
        var rows: [[String]] = []
        rows.reserveCapacity(askLevels.count + bidLevels.count)
        for level in askLevels {
            rows.append([
                "ask", cell(level.price, context: priceContext, scale: priceScale),
                cell(level.quantity, context: quantityContext, scale: quantityScale),
            ])
        }
        for level in bidLevels {
            rows.append([
                "bid", cell(level.price, context: priceContext, scale: priceScale),
                cell(level.quantity, context: quantityContext, scale: quantityScale),
            ])
        }
        var lines: [String] = []
        if let symbol = context.symbol { lines.append(options.style.bold(symbol)) }
        let table = TextTable(headers: ["side", "price", "quantity"], rows: rows, alignments: [.left, .decimal, .decimal])
        lines.append(table.rendered(header: options.style.bold))
        return lines.joined(separator: "\n")
    }

    private func rowTable(_ objects: [[String: JSONValue]], context: CellContext) -> String {
        var allKeys = Set<String>()
        for object in objects { allKeys.formUnion(object.keys.filter { Self.isScalar(object[$0]!) }) }
        let headers = Self.orderedKeys(allKeys)
        let rows = objects.map { object -> [String] in
            var rowContext = context
            if let symbol = object["symbol"]?.stringValue { rowContext.symbol = symbol }
            let isOrder = Self.isOrder(object)
            return headers.map { key in
                guard let value = object[key] else { return "" }
                rowContext.key = key
                if isOrder, key == "price", let price = orderPriceCell(object, context: rowContext) { return price }
                return cell(value, context: rowContext)
            }
        }
        return TextTable(headers: headers, rows: rows).rendered(header: options.style.bold)
    }

    // MARK: - Cells

    /// Formats one scalar: decimals at the symbol's precision when known, epoch milliseconds as dates.
    func cell(_ value: JSONValue, context: CellContext) -> String {
        switch value {
        case .number, .string: return cell(value, context: context, scale: displayScale(context))
        default: return cell(value, context: context, scale: nil)
        }
    }

    /// Formats one scalar like `cell(_:context:)`, with the display scale of `context` already looked up.
    private func cell(_ value: JSONValue, context: CellContext, scale: Int?) -> String {
        switch value {
        case .null:
            return ""
        case .bool(let flag):
            return flag ? "true" : "false"
        case .number(let number):
            if let key = context.key, Self.isTimeKey(key), let text = formatTime(number) { return text }
            return scale.map { DecimalText.format(number, scale: $0) } ?? DecimalText.format(number)
        case .string(let text):
            if let formatted = Self.formatCanonicalDecimal(text, scale: scale) { return formatted }
            guard let number = DecimalText.parse(text, allowNegative: true) else { return text }
            return scale.map { DecimalText.format(number, scale: $0) } ?? DecimalText.format(number)
        case .array, .object:
            return value.serialized()
        }
    }

    /// Returns the digits after the point for a price or quantity of a symbol whose precision is known. Other
    /// values get nil and are shown without trailing zeros.
    private func displayScale(_ context: CellContext) -> Int? {
        guard let key = context.key, let symbol = context.symbol else { return nil }
        // The key is checked first because it needs no lookup, and most keys are neither.
        // A byte search: Foundation's `String.contains(_:)` takes a locale-aware path, and the standard library's
        // generic `firstRange(of:)` is slower still; either made this check most of an order book's rendering.
        let isPrice = Self.containsAny(key, Self.priceKeyBytes)
        guard isPrice || Self.containsAny(key, Self.quantityKeyBytes), let precision = options.precision(symbol) else {
            return nil
        }
        return isPrice ? precision.priceScale : precision.quantityScale
    }

    /// Formats decimal text the way `DecimalText.format` formats its value, without making a `Decimal`, when the
    /// text is already plain: no sign, no leading or trailing zeros, and at most 18 digits on either side of the
    /// point. Returns nil for any other text. Replies carry decimals this way, so most cells take this path.
    /// - Parameter scale: digits after the point, extra digits truncated; nil keeps the text as it is.
    package static func formatCanonicalDecimal(_ text: String, scale: Int?) -> String? {
        let utf8 = text.utf8
        guard let first = utf8.first else { return nil }
        var integerDigits = 0
        var fractionDigits = 0
        var point: String.Index?
        for index in utf8.indices {
            let byte = utf8[index]
            if byte == UInt8(ascii: ".") {
                guard point == nil else { return nil }
                point = index
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if point == nil { integerDigits += 1 } else { fractionDigits += 1 }
            } else {
                return nil
            }
        }
        guard (1...18).contains(integerDigits), fractionDigits <= 18 else { return nil }
        if first == UInt8(ascii: "0"), integerDigits > 1 { return nil }
        if point != nil, fractionDigits == 0 || utf8.last == UInt8(ascii: "0") { return nil }
        guard let scale else { return text }
        guard (0...40).contains(scale) else { return nil }
        guard let point else {
            return scale == 0 ? text : text + "." + String(repeating: "0", count: scale)
        }
        if scale == 0 { return String(text[..<point]) }
        let keptDigits = min(fractionDigits, scale)
        let end = utf8.index(point, offsetBy: 1 + keptDigits)
        return String(text[..<end]) + String(repeating: "0", count: scale - keptDigits)
    }

    /// Formats epoch milliseconds as `2026-01-31 14:05:09`, local or UTC (then with a trailing `Z`).
    func formatTime(_ milliseconds: Decimal) -> String? {
        guard milliseconds >= 100_000_000_000, milliseconds < 10_000_000_000_000 else { return nil }
        let seconds = NSDecimalNumber(decimal: milliseconds).int64Value / 1000
        let zone = options.usesUTC ? TimeZone(identifier: "UTC")! : options.localTimeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: TimeInterval(seconds))
        )
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        let text = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        return options.usesUTC ? text + "Z" : text
    }

    // MARK: - Keys

    private static let priceKeys = ["price", "open", "high", "low", "close"]
    private static let quantityKeys = ["qty", "quantity"]
    private static let priceKeyBytes = priceKeys.map { Array($0.utf8) }
    private static let quantityKeyBytes = quantityKeys.map { Array($0.utf8) }

    /// Returns true when `key`, with ASCII letters lowercased, contains any of `parts` (lowercase) as a run of bytes.
    private static func containsAny(_ key: String, _ parts: [[UInt8]]) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            parts.contains { part in
                guard bytes.count >= part.count else { return false }
                for start in 0...(bytes.count - part.count) {
                    var matches = true
                    for offset in 0..<part.count where lowercasedASCII(bytes[start + offset]) != part[offset] {
                        matches = false
                        break
                    }
                    if matches { return true }
                }
                return false
            }
        }
    }

    private static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    private static let leadingKeys = [
        "symbol", "orderId", "order_id", "clientOrderId", "side", "type", "order_type", "status", "asset",
        "free", "locked", "total", "price", "stopPrice", "origQty", "executedQty", "cummulativeQuoteQty",
        "timeInForce", "time", "transactTime", "updateTime",
    ]

    static func orderedKeys(_ keys: some Collection<String>) -> [String] {
        let known = leadingKeys.filter { keys.contains($0) }
        let rest = keys.filter { !leadingKeys.contains($0) }.sorted()
        return known + rest
    }

    static func isTimeKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower.hasSuffix("time") || lower.hasSuffix("_time") || lower == "timestamp" || lower.hasSuffix("_at")
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
        }
    }
}
