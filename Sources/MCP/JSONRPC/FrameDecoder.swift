import Foundation
import Tools

/// Turns one input line into JSON, rejecting what the JSON parser should never see.
package enum FrameDecoder {
    /// Deepest nesting of arrays and objects accepted; deeper messages are rejected before parsing.
    package static let maximumDepth = 64

    /// What one line holds.
    package enum Frame: Sendable, Equatable {
        case message(JSONValue)
        /// A blank line, which is skipped without a reply.
        case blank
        case failure(JSONRPCError)
    }

    package static func decode(_ line: Data) -> Frame {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
        guard isValidUTF8(line) else {
            return .failure(.parseError("Parse error: the message is not valid UTF-8."))
        }
        if nestingDepth(of: line) > maximumDepth {
            return .failure(.invalidRequest("Invalid request: arrays and objects nest deeper than \(maximumDepth) levels."))
        }
        do {
            return .message(try JSONValue.parse(line))
        } catch {
            return .failure(.parseError("Parse error: the message is not valid JSON."))
        }
    }

    /// Returns the deepest nesting of `[` and `{` outside strings.
    static func nestingDepth(of data: Data) -> Int {
        // Iterating `Data` itself goes through its index checks on every byte.
        data.withUnsafeBytes { nestingDepth(of: $0) }
    }

    private static func nestingDepth(of bytes: UnsafeRawBufferPointer) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return deepest
    }

    static func isValidUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { isValidUTF8($0) }
    }

    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // ASCII, the usual content of a message, needs no decoding.
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
