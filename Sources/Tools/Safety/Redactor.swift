import BinanceAPI
import Foundation

/// Removes secrets from text and JSON before anything leaves the process: results, error messages, audit events
/// and log lines all pass through one redactor.
///
/// Two kinds of rules apply:
/// - the loaded secrets (API key, HMAC secret, private-key PEM) in every form they may be echoed in: as is,
///   percent-encoded, hex, base64 and base64url, and their first and last 16 characters;
/// - shapes that are secret in any account: values after `signature`, `X-MBX-APIKEY`, `apiKey`, `secret`,
///   `privateKey`, `password` or `listenKey` followed by `=` or `:`, PEM private-key blocks, and runs of exactly
///   64 letters and digits mixing upper case, lower case and digits (the shape of Binance keys and secrets).
///
/// Harmless text stays as it is: words such as "token" or "signature" in a sentence, order ids, prices, symbols,
/// lower-case hex transaction ids and addresses shorter than 64 characters.
package struct Redactor: Sendable {
    package static let replacement = "[REDACTED]"
    package static let privateKeyReplacement = "[REDACTED PRIVATE KEY]"

    /// Names whose value is a secret when followed by `=` or `:`; compared in lower case without `-` and `_`.
    private static let sensitiveNames: [[UInt8]] = [
        "signature", "xmbxapikey", "apikey", "apisecret", "secret", "secretkey", "privatekey", "password",
        "listenkey",
    ].map { Array($0.utf8) }

    /// Secret strings in every encoded form, longest first so a longer form is replaced before its parts.
    private let literals: [[UInt8]]

    /// Creates a redactor without known secrets, which applies only the shape rules.
    package init() { literals = [] }

    /// Creates a redactor for the given secret texts (API key, HMAC secret, PEM text).
    package init(secrets: [String]) {
        var forms = Set<String>()
        for secret in secrets where secret.utf8.count >= 8 {
            for form in Self.encodedForms(of: secret) where form.utf8.count >= 8 { forms.insert(form) }
        }
        literals = forms.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// Creates a redactor for the secrets of `configuration`: the API key, the secret and the private-key file's text.
    package init(configuration: Configuration) {
        var secrets = [configuration.apiKey, configuration.apiSecret].compactMap { $0 }
        if let path = configuration.privateKeyFile, let data = FileManager.default.contents(atPath: path) {
            secrets.append(String(decoding: data, as: UTF8.self))
        }
        self.init(secrets: secrets)
    }

    /// True when the redactor has at least one known secret besides the shape rules.
    package var knowsSecrets: Bool { !literals.isEmpty }

    // MARK: - Applying

    /// Returns `text` with every secret replaced by `[REDACTED]`.
    package func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for literal in literals where Self.replaceOccurrences(of: literal, in: &bytes) { changed = true }
        if Self.redactPrivateKeyBlocks(in: &bytes) { changed = true }
        if Self.redactNamedValues(in: &bytes) { changed = true }
        if Self.redactKeyShapedRuns(in: &bytes) { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Returns `value` with every string redacted, and the value of every member whose name is sensitive
    /// (such as `signature` or `apiKey`) replaced.
    package func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(redact(text))
        case .array(let elements):
            return .array(elements.map(redact))
        case .object(let members):
            var redacted: [String: JSONValue] = [:]
            for (name, member) in members {
                let key = redact(name)
                if Self.isSensitiveName(Array(name.utf8)), member != .null, member != .string("") {
                    redacted[key] = .string(Self.replacement)
                } else {
                    redacted[key] = redact(member)
                }
            }
            return .object(redacted)
        case .null, .bool, .number:
            return value
        }
    }

    /// Returns a result whose structured content, messages and hints are redacted.
    package func redact(_ result: ToolResult) -> ToolResult {
        ToolResult(isSuccess: result.isSuccess, structured: redact(result.structured))
    }

    /// Returns an error whose message, hint and details are redacted.
    package func redact(_ error: ToolError) -> ToolError {
        var redacted = error
        redacted.message = redact(error.message)
        redacted.hint = error.hint.map(redact)
        redacted.details = error.details.mapValues(redact)
        return redacted
    }

    /// Returns log metadata with every value redacted.
    package func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(redact)
    }

    // MARK: - Secret forms

    static func encodedForms(of secret: String) -> Set<String> {
        let bytes = Array(secret.utf8)
        let base64 = Data(bytes).base64EncodedString()
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        let base64URL = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        var forms: Set<String> = [
            secret,
            RequestParameters.percentEncode(secret),
            HexEncoding.encode(bytes),
            HexEncoding.encode(bytes).uppercased(),
            base64,
            unpadded,
            base64URL,
            JSONValue.string(secret).serialized().dropFirst().dropLast().description,
        ]
        if bytes.count >= 32 {
            forms.insert(String(decoding: bytes.prefix(16), as: UTF8.self))
            forms.insert(String(decoding: bytes.suffix(16), as: UTF8.self))
        }
        // A PEM file is also leaked line by line, or as its body with the line breaks removed.
        if secret.contains("-----BEGIN") {
            let body = secret.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }
            for line in body.map(String.init) + [body.joined()] where line.count >= 16 {
                forms.insert(line)
                forms.insert(RequestParameters.percentEncode(line))
            }
        }
        return forms
    }

    // MARK: - Byte-level rules

    private static let replacementBytes = Array(replacement.utf8)

    /// Replaces every occurrence of `literal`; returns true when one was found.
    private static func replaceOccurrences(of literal: [UInt8], in bytes: inout [UInt8]) -> Bool {
        guard literal.count <= bytes.count, let first = literal.first else { return false }
        var output: [UInt8] = []
        var index = 0
        var found = false
        while index < bytes.count {
            if bytes[index] == first, index + literal.count <= bytes.count,
                bytes[index..<(index + literal.count)].elementsEqual(literal)
            {
                if !found {
                    output.reserveCapacity(bytes.count)
                    output.append(contentsOf: bytes[0..<index])
                    found = true
                }
                output.append(contentsOf: replacementBytes)
                index += literal.count
                continue
            }
            if found { output.append(bytes[index]) }
            index += 1
        }
        if found { bytes = output }
        return found
    }

    /// Replaces `-----BEGIN … PRIVATE KEY-----` through the matching END line (or the end of the text).
    private static func redactPrivateKeyBlocks(in bytes: inout [UInt8]) -> Bool {
        let begin = Array("-----BEGIN ".utf8)
        let end = Array("-----END ".utf8)
        let marker = Array("PRIVATE KEY-----".utf8)
        var found = false
        var searchFrom = 0
        while let start = firstIndex(of: begin, in: bytes, from: searchFrom) {
            guard let headerEnd = firstIndex(of: marker, in: bytes, from: start),
                headerEnd - start < 80
            else {
                searchFrom = start + begin.count
                continue
            }
            var blockEnd = bytes.count
            if let endStart = firstIndex(of: end, in: bytes, from: headerEnd + marker.count),
                let endMarker = firstIndex(of: marker, in: bytes, from: endStart)
            {
                blockEnd = endMarker + marker.count
            }
            let replacement = Array(privateKeyReplacement.utf8)
            bytes.replaceSubrange(start..<blockEnd, with: replacement)
            searchFrom = start + replacement.count
            found = true
        }
        return found
    }

    /// Replaces the value after a sensitive name followed by `=` or `:`, such as `signature=ab12…` or
    /// `"apiKey": "…"`. A value shorter than 8 characters, or shorter than 16 without a digit, is kept, so
    /// prose such as "secret: none" survives.
    private static func redactNamedValues(in bytes: inout [UInt8]) -> Bool {
        var found = false
        var index = 0
        while index < bytes.count {
            guard isNameStart(bytes[index]), index == 0 || !isWordByte(bytes[index - 1]),
                let nameEnd = sensitiveNameEnd(in: bytes, at: index)
            else {
                index += 1
                continue
            }
            var cursor = nameEnd
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                cursor += 1
            }
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") || bytes[cursor] == UInt8(ascii: ":")
            else {
                index = nameEnd
                continue
            }
            cursor += 1
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'")
                || bytes[cursor] == UInt8(ascii: "\\")
            {
                cursor += 1
            }
            let valueStart = cursor
            while cursor < bytes.count, isValueByte(bytes[cursor]) { cursor += 1 }
            let value = bytes[valueStart..<cursor]
            let hasDigit = value.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            if value.count >= 16 || (value.count >= 8 && hasDigit) {
                bytes.replaceSubrange(valueStart..<cursor, with: replacementBytes)
                cursor = valueStart + replacementBytes.count
                found = true
            }
            index = max(cursor, nameEnd)
        }
        return found
    }

    /// Replaces runs of exactly 64 ASCII letters and digits that mix upper case, lower case and digits.
    private static func redactKeyShapedRuns(in bytes: inout [UInt8]) -> Bool {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isAlphanumeric(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            var hasUpper = false
            var hasLower = false
            var hasDigit = false
            while index < bytes.count, isAlphanumeric(bytes[index]) {
                let byte = bytes[index]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { hasLower = true }
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { hasDigit = true }
                index += 1
            }
            if index - start == 64, hasUpper, hasLower, hasDigit { ranges.append(start..<index) }
        }
        for range in ranges.reversed() { bytes.replaceSubrange(range, with: replacementBytes) }
        return !ranges.isEmpty
    }

    // MARK: - Byte helpers

    private static func sensitiveNameEnd(in bytes: [UInt8], at start: Int) -> Int? {
        // Reads a word of letters, '-' and '_' and compares it without separators and case.
        var cursor = start
        var normalized: [UInt8] = []
        while cursor < bytes.count, isWordByte(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "-"), cursor - start < 24 {
            let byte = bytes[cursor]
            if byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") { normalized.append(lowercased(byte)) }
            cursor += 1
        }
        return isSensitiveNormalized(normalized) ? cursor : nil
    }

    static func isSensitiveName(_ name: [UInt8]) -> Bool {
        let normalized = name.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") }.map(lowercased)
        return isSensitiveNormalized(normalized)
    }

    private static func isSensitiveNormalized(_ normalized: [UInt8]) -> Bool {
        sensitiveNames.contains { $0 == normalized }
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, start + pattern.count <= bytes.count else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        switch lowercased(byte) {
        case UInt8(ascii: "s"), UInt8(ascii: "x"), UInt8(ascii: "a"), UInt8(ascii: "p"), UInt8(ascii: "l"): return true
        default: return false
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isWordByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }

    /// Characters of a secret value: letters, digits and those of base64, percent-encoding and PEM.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".")
    }
}

extension Logger {
    /// Returns a logger that redacts each message and metadata value before passing it to this logger.
    ///
    /// The executable wraps its stderr logger once at start, so records from every module, including
    /// transport errors that quote a signed URL, are redacted whatever their source.
    package func redacting(with redactor: Redactor) -> Logger {
        let base = self
        return Logger(label: label, minimumLevel: minimumLevel) { level, message, metadata in
            base.log(level, redactor.redact(message), redactor.redact(metadata))
        }
    }
}
