import Foundation

/// The opaque `tools/list` cursor: the offset of the next page, base64-encoded so clients treat it as a token.
package enum ToolListCursor {
    private static let prefix = "tools-offset:"

    package static func encode(offset: Int) -> String {
        Data((prefix + String(offset)).utf8).base64EncodedString()
    }

    /// Returns the offset a cursor stands for; nil when it was not made by `encode` or lies past `toolCount`.
    package static func decode(_ cursor: String, toolCount: Int) -> Int? {
        guard let data = Data(base64Encoded: cursor),
            let text = String(data: data, encoding: .utf8),
            text.hasPrefix(prefix),
            let offset = Int(text.dropFirst(prefix.count)),
            offset > 0, offset < toolCount
        else { return nil }
        return offset
    }
}
