import Tools

/// Help pages generated from the tool registry and the shell's command catalogue.
package struct HelpText: Sendable {
    package let parser: CommandParser
    package var style: TextStyle

    package init(parser: CommandParser, style: TextStyle = .plain) {
        self.parser = parser
        self.style = style
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
            "Any tool takes parameters by name or in order: get_order_book symbol=BTCUSDT limit=5, "
                + "or get_order_book BTCUSDT 5.\nType 'help NAME' for one command or tool.")
        return sections.joined(separator: "\n\n")
    }

    /// Returns the page of one command or tool.
    /// - Throws: `ShellError` for an unknown name, suggesting the nearest one.
    package func page(for topic: String) throws(ShellError) -> String {
        if let tool = parser.tool(named: topic) { return toolPage(tool) }
        if let form = CommandCatalog.shortForm(named: topic) {
            var text = style.bold(form.usage) + "\n" + form.summary + "."
            if let tool = parser.tool(named: form.toolName) {
                text += " Runs the tool \(tool.name).\n\n" + toolPage(tool)
            }
            return text
        }
        if let command = CommandCatalog.sessionCommand(named: topic) {
            return style.bold(command.usage) + "\n" + command.summary + "."
        }
        var message = "No help for '\(topic)'."
        if let nearest = Suggestions.nearest(to: topic, among: parser.commandNames) {
            message += " Did you mean '\(nearest)'?"
        }
        throw ShellError(message + " Type 'help' for the list of commands.")
    }

    /// Name, summary, parameters with kinds and defaults, effect, and examples of one tool.
    package func toolPage(_ tool: Tool) -> String {
        var lines = [style.bold(tool.name) + " - " + tool.title, tool.summary]
        let usage = ([tool.name] + tool.parameters.map { $0.isRequired ? "\($0.name)=…" : "[\($0.name)=…]" })
            .joined(separator: " ")
        lines.append("")
        lines.append("Usage: " + usage)
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
            let table = TextTable(headers: ["", "", "", ""], rows: rows, alignments: [.left, .left, .left, .left])
            lines.append(contentsOf: table.renderedRows())
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
        let table = TextTable(headers: ["", ""], rows: rows, alignments: [.left, .left])
        let body = table.renderedRows().joined(separator: "\n")
        return style.bold(title) + "\n" + body
    }
}
