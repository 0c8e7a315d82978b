import Foundation
import Tools

/// Help pages generated from the tool registry and the shell's command catalogue.
package struct HelpText: Sendable {
    package let parser: CommandParser
    package var style: TextStyle
    /// Columns to wrap lines at (the terminal's width); nil leaves lines unwrapped, as scripts get them.
    package var width: Int?

    package init(parser: CommandParser, style: TextStyle = .plain, width: Int? = nil) {
        self.parser = parser
        self.style = style
        self.width = width
    }

    /// Returns the overview: shortcuts, session commands, then tools by group.
    package func overview() -> String {
        var sections: [String] = []
        let forms = CommandCatalog.shortForms.filter { parser.tool(named: $0.toolName) != nil }
        if !forms.isEmpty {
            sections.append(section("Shortcuts", forms.map { ($0.usage, $0.summary) }))
        }
        sections.append(section("Session", CommandCatalog.sessionCommands.map { ($0.usage, $0.summary) }))
        for group in ToolGroup.allCases {
            let tools = parser.tools.filter { $0.group == group }
            guard !tools.isEmpty else { continue }
            sections.append(section("Tools: " + group.rawValue, tools.map { ($0.name, $0.title) }))
        }
        sections.append(
            wrap("Any tool takes parameters by name or in order: get_order_book symbol=BTCUSDT limit=5, "
                + "or get_order_book BTCUSDT 5.") + "\n" + wrap("Type 'help NAME' for one command or tool."))
        return sections.joined(separator: "\n\n")
    }

    /// Returns the page of one command or tool.
    /// - Throws: `ShellError` for an unknown name, suggesting the nearest one.
    /// The error quotes `topic` as typed: the session redacts secrets by exact match, so it would miss a
    /// lowercased copy of a secret.
    package func page(for topic: String) throws(ShellError) -> String {
        let name = topic.lowercased()
        if let tool = parser.tool(named: name) { return toolPage(tool) }
        if let form = CommandCatalog.shortForm(named: name) {
            var summary = form.summary + "."
            if let tool = parser.tool(named: form.toolName) { summary += " Runs the tool \(tool.name)." }
            var text = style.bold(form.usage) + "\n" + wrap(summary)
            if let tool = parser.tool(named: form.toolName) { text += "\n\n" + toolPage(tool) }
            return text
        }
        if let command = CommandCatalog.sessionCommand(named: name) {
            return style.bold(command.usage) + "\n" + wrap(command.summary + ".")
        }
        var message = "No help for '\(topic)'."
        if let nearest = Suggestions.nearest(to: name, among: parser.commandNames) {
            message += " Did you mean '\(nearest)'?"
        }
        throw ShellError(message + " Type 'help' for the list of commands.")
    }

    /// Name, summary, parameters with kinds and defaults, effect, and examples of one tool.
    package func toolPage(_ tool: Tool) -> String {
        var lines = [style.bold(tool.name) + " - " + tool.title, wrap(tool.summary)]
        let usage = ([tool.name] + tool.parameters.map { $0.isRequired ? "\($0.name)=…" : "[\($0.name)=…]" })
            .joined(separator: " ")
        lines.append("")
        lines.append(wrap("Usage: " + usage, indent: 7))
        if !tool.parameters.isEmpty {
            lines.append("")
            lines.append("Parameters:")
            let rows = tool.parameters.map { parameter -> [String] in
                var notes = parameter.summary
                if let value = parameter.defaultValue { notes += " (default \(value))" }
                return [
                    "  " + parameter.name, Self.describe(parameter.kind),
                    parameter.isRequired ? "required" : "optional", notes,
                ]
            }
            lines.append(contentsOf: wrappedRows(rows))
        }
        lines.append("")
        lines.append("Effect: " + Self.describe(tool.annotations))
        if !tool.examples.isEmpty {
            lines.append("")
            lines.append("Examples:")
            lines.append(contentsOf: tool.examples.map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// Returns a short name for a parameter's kind, as help shows it.
    package static func describe(_ kind: ParameterKind) -> String {
        switch kind {
        case .string: return "text"
        case .symbol: return "symbol"
        case .asset: return "asset"
        case .decimal: return "decimal"
        case .quantity: return "decimal or all"
        case .integer(let minimum, let maximum): return "integer \(minimum)-\(maximum)"
        case .boolean: return "true|false"
        case .enumeration(let values): return values.joined(separator: "|")
        case .timestamp: return "time (ms)"
        case .clientOrderID: return "client order id"
        case .orderID: return "order id"
        }
    }

    static func describe(_ annotations: ToolAnnotations) -> String {
        if annotations.readOnly { return annotations.openWorld ? "reads from the exchange" : "local, reads only" }
        return annotations.destructive ? "changes state on the exchange (may cancel or replace)"
            : "changes state on the exchange"
    }

    private func section(_ title: String, _ entries: [(String, String)]) -> String {
        let rows = entries.map { ["  " + $0.0, $0.1] }
        return style.bold(title) + "\n" + wrappedRows(rows).joined(separator: "\n")
    }

    // MARK: - Wrapping

    /// Lays out rows in aligned columns and wraps the last column to `width`, continuing under it.
    ///
    /// With a width, a leading cell wider than half of it does not widen its column: its row puts the leading
    /// cells on lines of their own and the last column below. When the leading columns leave the last one less
    /// than 20 columns, it goes on lines of its own, indented by four spaces.
    func wrappedRows(_ rows: [[String]]) -> [String] {
        guard let columnCount = rows.first?.count, columnCount > 0 else { return [] }
        let cap = width.map { max(10, $0 / 2) } ?? .max
        let fitting = rows.filter { row in row.dropLast().allSatisfy { $0.count <= cap } }
        var widths = [Int](repeating: 0, count: columnCount)
        for row in fitting.isEmpty ? rows : fitting {
            for (column, cell) in row.enumerated() where column < columnCount {
                widths[column] = max(widths[column], cell.count)
            }
        }
        let leading = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        var lines: [String] = []
        for row in rows {
            let last = row.last ?? ""
            let leadingCells = Array(row.dropLast())
            guard let width else {
                let prefix = leadingCells.enumerated().map { TextTable.padRight($1, to: widths[$0]) + "  " }.joined()
                lines.append(Self.trimmingTrailingSpaces(prefix + last))
                continue
            }
            let available = width - leading - 1
            let fits = leadingCells.enumerated().allSatisfy { $1.count <= widths[$0] }
            if fits, last.count <= available {
                let prefix = leadingCells.enumerated().map { TextTable.padRight($1, to: widths[$0]) + "  " }.joined()
                lines.append(Self.trimmingTrailingSpaces(prefix + last))
            } else if fits, available >= 20 {
                let prefix = leadingCells.enumerated().map { TextTable.padRight($1, to: widths[$0]) + "  " }.joined()
                for (index, piece) in Self.wrap(last, width: available).enumerated() {
                    let line = (index == 0 ? prefix : String(repeating: " ", count: leading)) + piece
                    lines.append(Self.trimmingTrailingSpaces(line))
                }
            } else {
                let head = leadingCells.joined(separator: "  ")
                let indent = head.prefix { $0 == " " }.count
                let headLines = Self.wrap(String(head.dropFirst(indent)), width: max(20, width - indent - 3))
                for (index, piece) in headLines.enumerated() {
                    lines.append(String(repeating: " ", count: index == 0 ? indent : indent + 2) + piece)
                }
                if !last.isEmpty {
                    lines += Self.wrap(last, width: max(20, width - 5)).map { "    " + $0 }
                }
            }
        }
        return lines
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var trimmed = line
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed
    }

    /// Wraps a paragraph to `width`, continuing lines after `indent` spaces.
    private func wrap(_ text: String, indent: Int = 0) -> String {
        guard let width, width - indent >= 20 else { return text }
        let first = Self.wrap(text, width: width - 1)
        guard first.count > 1, indent > 0 else { return first.joined(separator: "\n") }
        let head = first[0]
        let rest = String(text.dropFirst(head.count)).trimmingCharacters(in: .whitespaces)
        let continued = Self.wrap(rest, width: width - indent - 1).map { String(repeating: " ", count: indent) + $0 }
        return ([head] + continued).joined(separator: "\n")
    }

    /// Splits text into lines of at most `width` characters at spaces; a longer word gets a line of its own.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }
}
