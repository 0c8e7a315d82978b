import BinanceAPI
import Foundation

/// Removes secrets from text and JSON before anything leaves the process: results, error messages, audit events
/// and log lines all pass through one redactor.
///
/// Two kinds of rules apply:
/// - fragments of the loaded secrets (API key, HMAC secret, private-key PEM): any run of at least
///   `minimumFragmentLength` characters copied from the key or the secret, as is or in an encoded form (percent,
///   JSON, base64, base64url, and hex from 16 characters), and any run of at least `minimumPEMFragmentLength`
///   characters of the private key's base64 body. A value built from part of a secret, such as a client order id
///   made of its first 36 characters, is therefore redacted where it overlaps the secret.
/// - shapes that are secret in any account: values after `signature`, `X-MBX-APIKEY`, `apiKey`, `secret`,
///   `privateKey`, `password` or `listenKey` followed by `=` or `:`, PEM private-key blocks, and runs of exactly
///   64 letters and digits mixing upper case, lower case and digits (the shape of Binance keys and secrets).
///
/// Harmless text stays as it is: words such as "token" or "signature" in a sentence, order ids, prices, symbols,
/// lower-case hex transaction ids and addresses shorter than 64 characters. Matching is case-sensitive, so a
/// secret fragment changed to upper or lower case is not found.
package struct Redactor: Sendable {
    package static let replacement = "[REDACTED]"
    package static let privateKeyReplacement = "[REDACTED PRIVATE KEY]"

    /// Shortest run of a key or secret that is redacted. Binance keys and secrets are 64 characters drawn from 62
    /// letters and digits, so showing 7 of them leaves at least 57 unknown (over 300 bits). A chance match of 8
    /// characters in unrelated text has odds near 62^-8 (about 5e-15) per text position and secret window, so
    /// symbols, prices and order ids survive unless they copy 8 characters of the secret exactly.
    package static let minimumFragmentLength = 8
    /// Shortest run of a private key's PEM body that is redacted. The body starts with an ASN.1 header that every
    /// key of the same type shares, and an Ed25519 public key shares 8-character runs of it (`BQYDK2Vw`). A
    /// length of 8 would therefore redact public keys, while 16 base64 characters still carry 12 bytes of the key.
    package static let minimumPEMFragmentLength = 16

    /// Names whose value is a secret when followed by `=` or `:`; compared in lower case without `-` and `_`.
    private static let sensitiveNames: [[UInt8]] = [
        "signature", "xmbxapikey", "apikey", "apisecret", "secret", "secretkey", "privatekey", "password",
        "listenkey",
    ].map { Array($0.utf8) }

    /// Every 8-byte window of every form of the loaded secrets; nil when no secret is loaded.
    private let fragments: SecretFragmentIndex?

    /// Creates a redactor without known secrets, which applies only the shape rules.
    package init() { fragments = nil }

    /// Creates a redactor for the given secret texts (API key, HMAC secret, PEM text). Texts shorter than
    /// `minimumFragmentLength` are ignored.
    package init(secrets: [String]) {
        var sources: [(text: String, minimumLength: Int)] = []
        for secret in secrets where secret.utf8.count >= Self.minimumFragmentLength {
            sources += Self.fragmentSources(of: secret)
        }
        fragments = sources.isEmpty ? nil : SecretFragmentIndex(sources: sources)
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
    package var knowsSecrets: Bool { fragments != nil }

    // MARK: - Applying

    /// Returns `text` with every secret replaced by `[REDACTED]`.
    package func redact(_ text: String) -> String {
        redactedIfChanged(text) ?? text
    }

    /// Returns `value` with every string redacted, and the value of every member whose name is sensitive
    /// (such as `signature` or `apiKey`) replaced.
    package func redact(_ value: JSONValue) -> JSONValue {
        redactedIfChanged(value) ?? value
    }

    /// Returns the redacted value, or nil when no rule changes it. Unchanged arrays and objects are not rebuilt,
    /// so a result without secrets costs one scan of its strings and keys and no new containers.
    private func redactedIfChanged(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string(let text):
            return redactedIfChanged(text).map(JSONValue.string)
        case .array(let elements):
            guard let first = elements.indices.first(where: { redactedIfChanged(elements[$0]) != nil }) else {
                return nil
            }
            var redacted = Array(elements[..<first])
            redacted.reserveCapacity(elements.count)
            for element in elements[first...] { redacted.append(redact(element)) }
            return .array(redacted)
        case .object(let members):
            guard members.contains(where: { redactedMember($0.key, $0.value) != nil }) else { return nil }
            var redacted: [String: JSONValue] = [:]
            redacted.reserveCapacity(members.count)
            for (name, member) in members {
                let changed = redactedMember(name, member)
                redacted[changed?.name ?? name] = changed?.value ?? member
            }
            return .object(redacted)
        case .null, .bool, .number:
            return nil
        }
    }

    /// Returns one object member redacted, or nil when no rule changes its name or value.
    private func redactedMember(_ name: String, _ member: JSONValue) -> (name: String, value: JSONValue)? {
        let key = redactedIfChanged(name)
        if Self.isSensitiveName(name), member != .null, member != .string("") {
            return (key ?? name, .string(Self.replacement))
        }
        let value = redactedIfChanged(member)
        guard key != nil || value != nil else { return nil }
        return (key ?? name, value ?? member)
    }

    /// Returns `text` redacted, or nil when no rule changes it.
    private func redactedIfChanged(_ text: String) -> String? {
        // No rule can match fewer bytes than the shortest fragment.
        guard text.utf8.count >= Self.minimumFragmentLength else { return nil }
        var copy = text
        return copy.withUTF8 { redact(buffer: $0) }
    }

    /// Returns a result whose structured content, messages and hints are redacted.
    package func redact(_ result: ToolResult) -> ToolResult {
        ToolResult(isSuccess: result.isSuccess, structured: redact(result.structured))
    }

    /// Returns an error whose message, hint and details are redacted, and whose message and hint carry no
    /// control character other than newline and tab (see `UntrustedText.escapingControls`).
    package func redact(_ error: ToolError) -> ToolError {
        var redacted = error
        redacted.message = UntrustedText.escapingControls(redact(error.message))
        redacted.hint = error.hint.map { UntrustedText.escapingControls(redact($0)) }
        redacted.details = error.details.mapValues(redact)
        return redacted
    }

    /// Returns log metadata with every value redacted.
    package func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(redact)
    }

    /// Applies every rule to UTF-8 bytes; returns nil when nothing changed, so unchanged text is not copied.
    private func redact(buffer: UnsafeBufferPointer<UInt8>) -> String? {
        let secretRanges = fragments?.matches(in: buffer) ?? []
        let shapes = ShapeHints(scanning: buffer)
        guard !secretRanges.isEmpty || shapes.any else { return nil }

        var bytes: [UInt8]
        if secretRanges.isEmpty {
            bytes = Array(buffer)
        } else {
            bytes = []
            bytes.reserveCapacity(buffer.count)
            var copied = 0
            for range in secretRanges {
                bytes.append(contentsOf: buffer[copied..<range.lowerBound])
                bytes.append(contentsOf: Self.replacementBytes)
                copied = range.upperBound
            }
            bytes.append(contentsOf: buffer[copied...])
        }
        var changed = !secretRanges.isEmpty
        if shapes.hasDashRun, Self.redactPrivateKeyBlocks(in: &bytes) { changed = true }
        if shapes.hasDelimiter, Self.redactNamedValues(in: &bytes) { changed = true }
        if shapes.hasLongRun, Self.redactKeyShapedRuns(in: &bytes) { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : nil
    }

    // MARK: - Secret forms

    /// Returns the texts whose fragments are redacted for one secret, with the shortest fragment of each.
    static func fragmentSources(of secret: String) -> [(text: String, minimumLength: Int)] {
        if secret.contains("-----BEGIN") {
            // A PEM file leaks line by line, as its body without line breaks, JSON-escaped or percent-encoded.
            let body = secret.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("-----") }
            let joined = body.joined()
            let forms: Set<String> = [
                body.joined(separator: "\n"),
                body.joined(separator: "\\n"),
                joined,
                RequestParameters.percentEncode(joined),
            ]
            return forms.map { ($0, minimumPEMFragmentLength) }
        }
        let bytes = Array(secret.utf8)
        var forms: Set<String> = [
            secret,
            RequestParameters.percentEncode(secret),
            JSONValue.string(secret).serialized().dropFirst().dropLast().description,
        ]
        // Base64 of text that contains the secret depends on where the secret starts modulo 3: cover all three.
        for shift in 0..<3 where bytes.count > shift {
            let base64 = Data(bytes.dropFirst(shift)).base64EncodedString()
            forms.insert(base64)
            forms.insert(base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
        }
        var sources = forms.map { ($0, minimumFragmentLength) }
        // Two hex digits per byte: 16 digits show the same 8 characters as the plain form.
        sources.append((HexEncoding.encode(bytes), 2 * minimumFragmentLength))
        sources.append((HexEncoding.encode(bytes).uppercased(), 2 * minimumFragmentLength))
        return sources
    }

    // MARK: - Byte-level rules

    private static let replacementBytes = Array(replacement.utf8)

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

    /// Checks a member name as `isSensitiveName(_: [UInt8])` does, comparing in place without copying it.
    static func isSensitiveName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            sensitiveNames.contains { candidate in
                var position = 0
                for byte in bytes where byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") {
                    guard position < candidate.count, candidate[position] == lowercased(byte) else { return false }
                    position += 1
                }
                return position == candidate.count
            }
        }
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
    /// Returns a logger that redacts each message and metadata value, and escapes control characters in them,
    /// before passing it to this logger.
    ///
    /// The executable wraps its stderr logger once at start, so records from every module, including
    /// transport errors that quote a signed URL or a hostile value, are safe whatever their source.
    package func redacting(with redactor: Redactor) -> Logger {
        let base = self
        return Logger(label: label, minimumLevel: minimumLevel) { level, message, metadata in
            base.log(
                level,
                UntrustedText.escapingControls(redactor.redact(message)),
                redactor.redact(metadata).mapValues(UntrustedText.escapingControls)
            )
        }
    }
}
