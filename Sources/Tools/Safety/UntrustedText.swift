/// Quoting and escaping of values that came from outside the program (tool arguments, shell words, MCP names,
/// environment variables) before they appear in a message, a log line or the audit log.
///
/// A hostile value must not be able to flood a terminal, move its cursor, rewrite earlier lines or forge a
/// line of its own, and a huge value must not make a message huge. `quoted` is the one way messages name a
/// value; `escapingControls` is the last defence for text assembled elsewhere.
package enum UntrustedText {
    /// Characters of a value shown before it is cut with an ellipsis, counted after escaping.
    package static let defaultMaximumLength = 64

    /// Returns `value` in single quotes, escaped and bounded, such as `'BTC/USDT'` or `'AAAA…' (1048576 bytes)`.
    ///
    /// Backslash and `'` get a backslash before them, and `\n`, `\r`, `\t` and NUL are written as `\n`, `\r`, `\t`
    /// and `\0`. Every other control character (C0, DEL, C1) is written as `\u{…}`, and so are bidirectional
    /// overrides, line separators, the byte-order mark and U+FFFD, which marks invalid UTF-8. A value longer than
    /// `maximumLength` escaped characters is cut and followed by its original length in UTF-8 bytes. Short plain
    /// values come out as `'value'`, exactly as a message would have quoted them by hand.
    package static func quoted(_ value: some StringProtocol, maximumLength: Int = defaultMaximumLength) -> String {
        var output = "'"
        var shown = 0
        var isCut = false
        for scalar in value.unicodeScalars {
            let piece = escaped(scalar)
            if shown + piece.count > maximumLength {
                isCut = true
                break
            }
            output += piece
            shown += piece.count
        }
        guard isCut else { return output + "'" }
        return output + "…' (\(value.utf8.count) bytes)"
    }

    /// Returns raw bytes quoted as `quoted` does, with each byte that is not part of valid UTF-8 shown as `\xNN`.
    package static func quoted(bytes: [UInt8], maximumLength: Int = defaultMaximumLength) -> String {
        var output = "'"
        var shown = 0
        var isCut = false
        var index = 0
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        parsing: while true {
            let piece: String
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                piece = escaped(Unicode.UTF8.decode(encoded))
                index += encoded.count
            case .error(let length):
                piece = bytes[index..<(index + length)].map { "\\x" + hexDigits($0) }.joined()
                index += length
            case .emptyInput:
                break parsing
            }
            if shown + piece.count > maximumLength {
                isCut = true
                break
            }
            output += piece
            shown += piece.count
        }
        guard isCut else { return output + "'" }
        return output + "…' (\(bytes.count) bytes)"
    }

    /// Returns `text` with every control character except `\n` and `\t` written as `\u{…}`, and the other
    /// characters `quoted` escapes (bidirectional overrides, line separators, byte-order marks) too.
    ///
    /// Text without such characters is returned as it is after one scan of its bytes, so the function can sit
    /// on the path of every result.
    package static func escapingControls(_ text: String) -> String {
        guard mayNeedEscaping(text) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" || !isUnsafe(scalar) {
                output.unicodeScalars.append(scalar)
            } else {
                output += "\\u{" + hexDigits(scalar.value) + "}"
            }
        }
        return output
    }

    /// Returns `value` with `escapingControls` applied to every string and object key inside it.
    package static func escapingControls(_ value: JSONValue) -> JSONValue {
        needsEscaping(value) ? escapingEveryString(value) : value
    }

    /// Returns false when the byte check of `mayNeedEscaping` clears every string and object key inside `value`,
    /// so such values are returned as they are instead of rebuilt.
    private static func needsEscaping(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text):
            return mayNeedEscaping(text)
        case .array(let elements):
            return elements.contains(where: needsEscaping)
        case .object(let members):
            return members.contains { mayNeedEscaping($0.key) || needsEscaping($0.value) }
        case .null, .bool, .number:
            return false
        }
    }

    private static func escapingEveryString(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(escapingControls(text))
        case .array(let elements):
            return .array(elements.map(escapingEveryString))
        case .object(let members):
            var escaped: [String: JSONValue] = [:]
            for (name, member) in members { escaped[escapingControls(name)] = escapingEveryString(member) }
            return .object(escaped)
        case .null, .bool, .number:
            return value
        }
    }

    // MARK: - Characters

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "'": return "\\'"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\0": return "\\0"
        default: return isUnsafe(scalar) ? "\\u{" + hexDigits(scalar.value) + "}" : String(scalar)
        }
    }

    /// True for characters a terminal acts on or that change how the text around them is displayed.
    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Left-to-right and right-to-left marks, embeddings, overrides and isolates.
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        // Line and paragraph separators, byte-order mark, replacement character.
        case 0x2028, 0x2029, 0xFEFF, 0xFFFD: return true
        default: return false
        }
    }

    /// Checks the UTF-8 bytes quickly: false means the text contains no character `escapingControls` changes.
    private static func mayNeedEscaping(_ text: String) -> Bool {
        text.utf8.contains { byte in
            // C0 controls except newline and tab, DEL, the lead byte of C1 controls (U+0080–U+009F), and the lead
            // bytes of the U+2000 and U+F000 blocks, which hold the marks, separators and specials above.
            (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || byte == 0xC2 || byte == 0xE2
                || byte == 0xEF
        }
    }

    private static func hexDigits(_ value: some BinaryInteger) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }
}
