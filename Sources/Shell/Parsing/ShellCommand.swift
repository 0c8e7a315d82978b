import Foundation
import Tools

/// One tool to run, with its arguments as the user wrote them (the tool pipeline decodes and validates them).
package struct ToolCall: Sendable, Equatable {
    package var toolName: String
    package var arguments: [String: JSONValue]

    package init(toolName: String, arguments: [String: JSONValue]) {
        self.toolName = toolName
        self.arguments = arguments
    }
}

/// Format of printed results.
package enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case json
}

/// View that `watch` refreshes.
package enum WatchTarget: String, Sendable, CaseIterable {
    case price
    case book
    case orders
}

/// Action requested by one command.
package enum ShellCommand: Sendable, Equatable {
    case tool(ToolCall)
    case help(topic: String?)
    case exit
    case format(OutputFormat)
    /// `set symbol X` sets the default symbol; `set symbol none` clears it (nil).
    case setSymbol(String?)
    case utc(Bool)
    case watch(WatchTarget, ToolCall)
    case halt
    case resume
    /// `reset-paper`: a fresh paper account with these balances (empty means the simulator's defaults).
    case resetPaper([String: Decimal])
}
