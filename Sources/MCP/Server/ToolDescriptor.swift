import Foundation
import Tools

/// The `tools/list` entry of a tool: name, title, description, schemas and annotations.
///
/// The schemas come from the tool registry, so the schema a client sees and the rules the argument decoder applies
/// have one source.
package enum ToolDescriptor {
    /// Builds the listing entry; `outputSchema` appears only on revisions that have structured results.
    package static func json(for tool: Tool, revision: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(tool.name),
            "title": .string(tool.title),
            "description": .string(tool.summary),
            "inputSchema": tool.inputSchema,
            "annotations": .object([
                "readOnlyHint": .bool(tool.annotations.readOnly),
                "destructiveHint": .bool(tool.annotations.destructive),
                "idempotentHint": .bool(tool.annotations.idempotent),
                "openWorldHint": .bool(tool.annotations.openWorld),
            ]),
        ]
        if ProtocolRevision.hasStructuredContent(revision) {
            members["outputSchema"] = tool.outputSchema
        }
        return .object(members)
    }
}
