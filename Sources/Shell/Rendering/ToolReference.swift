import Tools

/// The README's table of tools, written from the tool definitions and the shell's short forms, so the page
/// cannot drift from what `tools/list` and `help` say.
package enum ToolReference {
    /// Returns a Markdown table with one row per tool, in the registry's order.
    package static func markdownTable(tools: [Tool]) -> String {
        var lines = [
            "| tool | shell short form | what it does | parameters (required in bold) | effect |",
            "| --- | --- | --- | --- | --- |",
        ]
        for tool in tools {
            let shortForms = CommandCatalog.shortForms
                .filter { $0.toolName == tool.name }
                .map { "`\($0.name)`" }
                .joined(separator: ", ")
            let parameters = tool.parameters
                .map { $0.isRequired ? "**\($0.name)**" : $0.name }
                .joined(separator: ", ")
            let cells = [
                "`\(tool.name)`",
                shortForms,
                escaped(tool.title),
                parameters.isEmpty ? "none" : parameters,
                effect(of: tool.annotations),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    private static func effect(of annotations: ToolAnnotations) -> String {
        if annotations.readOnly { return annotations.openWorld ? "reads" : "local" }
        return annotations.destructive ? "changes state, destructive" : "changes state"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
