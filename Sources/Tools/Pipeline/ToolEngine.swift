import BinanceAPI
import Foundation

/// Everything a tool handler may use besides its arguments.
package struct ToolServices: Sendable {
    package var configuration: Configuration
    package var venue: Venue
    package var client: BinanceClient
    package var logger: Logger

    package init(configuration: Configuration, venue: Venue, client: BinanceClient, logger: Logger = .disabled) {
        self.configuration = configuration
        self.venue = venue
        self.client = client
        self.logger = logger
    }
}

/// Runs tool invocations from every way in through one pipeline: decode and validate the arguments, rate-limit,
/// guard, call the handler, map errors, write the audit event.
package final class ToolEngine: Sendable {
    /// Tools in a fixed order: the order of `tools/list` and of the shell's help.
    package let tools: [Tool]
    package let services: ToolServices
    private let toolsByName: [String: Tool]

    package init(tools: [Tool], services: ToolServices) {
        self.tools = tools
        self.services = services
        self.toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    package func tool(named name: String) -> Tool? { toolsByName[name] }

    /// Runs one tool and returns its result; failures are results, never thrown.
    package func invoke(_ name: String, arguments: [String: JSONValue], invocation: Invocation) async -> ToolResult {
        guard let tool = toolsByName[name] else {
            return .failure(.validation("Unknown tool '\(name)'.", hint: "Run 'help' to list the tools."))
        }
        do {
            let decoded = try ArgumentDecoder.decode(arguments, for: tool)
            let context = ToolContext(invocation: invocation, services: services)
            return .success(try await tool.handler(decoded, context))
        } catch {
            return .failure(error)
        }
    }
}
