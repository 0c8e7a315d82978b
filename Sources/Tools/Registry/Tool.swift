/// One tool, defined once. The MCP `tools/list` entry, the shell's command, help and completion all come from it.
package struct Tool: Sendable {
    package typealias Handler = @Sendable (ToolArguments, ToolContext) async throws(ToolError) -> JSONValue

    /// Wire name in `snake_case`, such as `get_ticker_price`.
    package var name: String
    /// Human title, such as "Ticker price".
    package var title: String
    /// What the tool does, for people and models.
    package var summary: String
    package var group: ToolGroup
    /// Parameters in the order the shell accepts them positionally.
    package var parameters: [ToolParameter]
    /// JSON Schema of the `data` member of a successful result.
    package var dataSchema: JSONValue
    package var annotations: ToolAnnotations
    /// Shell command lines that show typical use.
    package var examples: [String]
    /// How the shell shows `data` as a table; nil lets the renderer choose.
    package var layout: TableLayout?
    package var handler: Handler

    package init(
        name: String,
        title: String,
        summary: String,
        group: ToolGroup,
        parameters: [ToolParameter],
        dataSchema: JSONValue,
        annotations: ToolAnnotations,
        examples: [String],
        layout: TableLayout? = nil,
        handler: @escaping Handler
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.group = group
        self.parameters = parameters
        self.dataSchema = dataSchema
        self.annotations = annotations
        self.examples = examples
        self.layout = layout
        self.handler = handler
    }

    /// Returns the parameter with the given wire name.
    package func parameter(named name: String) -> ToolParameter? {
        parameters.first { $0.name == name }
    }
}

/// What a tool's handler can reach. Built by `ToolEngine` for each invocation.
package struct ToolContext: Sendable {
    package var invocation: Invocation
    package var services: ToolServices
}
