import BinanceAPI

/// One audit record built as UTF-8 bytes in its canonical form: compact JSON with the keys in sorted order, as
/// `JSONValue.serialized()` writes an object.
///
/// Callers append the members in key order. The bytes start with the previous record's hash, because the record's
/// own hash is SHA-256 of that hash followed by the canonical text, so hashing needs no second copy. The `hash`
/// member is left out of the canonical text and `line(hash:)` inserts it at the place `markHashPosition()` noted.
struct AuditRecordText {
    /// The previous hash followed by the canonical text without its closing brace.
    private var bytes: [UInt8]
    private let canonicalStart: Int
    private var memberCount = 0
    /// Index of the first member whose key sorts after `hash`, once `markHashPosition()` has been called.
    private var hashMemberIndex: Int?
    /// Offset in `bytes` where that member's key starts, once it has been appended.
    private var hashPosition: Int?

    init(previousHash: String) {
        bytes = []
        bytes.reserveCapacity(512)
        Self.appendUTF8(previousHash, to: &bytes)
        canonicalStart = bytes.count
        bytes.append(UInt8(ascii: "{"))
    }

    /// Appends a string member; nil leaves the member out.
    mutating func append(_ key: String, string value: String?) {
        guard let value else { return }
        startMember(key)
        Self.appendString(value, to: &bytes)
    }

    /// Appends an integer member; nil leaves the member out.
    mutating func append(_ key: String, integer value: Int64?) {
        guard let value else { return }
        startMember(key)
        Self.appendUTF8(String(value), to: &bytes)
    }

    /// Appends a member whose value is JSON text already serialized by `JSONValue.serialized()`.
    mutating func append(_ key: String, serialized value: String?) {
        guard let value else { return }
        startMember(key)
        Self.appendUTF8(value, to: &bytes)
    }

    /// Notes that the next member appended has the first key sorting after `hash`.
    mutating func markHashPosition() {
        hashMemberIndex = memberCount
    }

    /// Returns SHA-256 in lower-case hex of the previous hash followed by the canonical text.
    func hash() -> String {
        var input = bytes
        input.append(UInt8(ascii: "}"))
        return SHA256Digest.hexHash(input)
    }

    /// Returns the record's line: the canonical text with the `hash` member at its sorted place, and a newline.
    func line(hash: String) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(bytes.count - canonicalStart + hash.utf8.count + 12)
        var hashMember = Array(#""hash":"#.utf8)
        Self.appendString(hash, to: &hashMember)
        if let hashPosition {
            // The text before the position ends with `{` or `,`, so the hash member needs a comma after it only.
            line.append(contentsOf: bytes[canonicalStart..<hashPosition])
            line.append(contentsOf: hashMember)
            line.append(UInt8(ascii: ","))
            line.append(contentsOf: bytes[hashPosition...])
        } else {
            line.append(contentsOf: bytes[canonicalStart...])
            if memberCount > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: hashMember)
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    private mutating func startMember(_ key: String) {
        if memberCount > 0 { bytes.append(UInt8(ascii: ",")) }
        if memberCount == hashMemberIndex { hashPosition = bytes.count }
        memberCount += 1
        Self.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends `text` as a JSON string. Text without a byte that needs escaping is copied as it is; other text
    /// goes through `JSONValue`, so the escapes are exactly those of `serialized()`.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        let copied = text.withUTF8 { bytes -> Bool in
            // 0xE2 starts U+2028 and U+2029, which `JSONValue` escapes.
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
                return false
            }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return true
        }
        if !copied { appendUTF8(JSONValue.string(text).serialized(), to: &output) }
    }

    /// Appends the UTF-8 bytes of `text` in one copy.
    static func appendUTF8(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { output.append(contentsOf: $0) }
    }
}
