import BinanceAPI
import Foundation

/// The parameters of one request, decoded from the raw query and form body as Binance reads them.
///
/// A name sent in both the query and the body takes the query's value. A name repeated within one of them is
/// rejected with -1101, and names an endpoint does not read are rejected with -1104 before it acts.
struct ReceivedParameters: Sendable {
    private(set) var values: [String: String] = [:]
    /// Names in the order they were first sent.
    private(set) var names: [String] = []

    static let decimalPattern = "^([0-9]{1,20})(\\.[0-9]{1,20})?$"
    static let integerPattern = "^[0-9]{1,20}$"
    static let clientOrderIdPattern = "^[a-zA-Z0-9-_]{1,36}$"
    static let symbolPattern = "^[A-Z0-9-_.]{1,20}$"

    init(query: String, body: Data) throws(APIFailure) {
        let queryPairs = try Self.decode(query)
        let bodyPairs = try Self.decode(String(decoding: body, as: UTF8.self))
        for (name, value) in queryPairs {
            values[name] = value
            names.append(name)
        }
        for (name, value) in bodyPairs where values[name] == nil {
            values[name] = value
            names.append(name)
        }
    }

    init(_ pairs: [String: String]) {
        values = pairs
        names = pairs.keys.sorted()
    }

    private static func decode(_ text: String) throws(APIFailure) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        var pairs = [(String, String)]()
        for item in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: String
            let value: String
            if let equals = item.firstIndex(of: UInt8(ascii: "=")) {
                name = percentDecode(item[..<equals])
                value = percentDecode(item[item.index(after: equals)...])
            } else {
                name = percentDecode(item)
                value = ""
            }
            pairs.append((name, value))
        }
        try rejectDuplicates(pairs)
        return pairs
    }

    /// Rejects a name sent twice (-1101). A linear search checks the handful of parameters of a usual request
    /// faster than hashing them. Long lists use a set, so a crafted request cannot make the check quadratic.
    private static func rejectDuplicates(_ pairs: [(String, String)]) throws(APIFailure) {
        var isDuplicated = false
        if pairs.count <= 16 {
            for index in pairs.indices.dropFirst() where pairs[..<index].contains(where: { $0.0 == pairs[index].0 }) {
                isDuplicated = true
            }
        } else {
            var seen = Set<String>()
            isDuplicated = pairs.contains { !seen.insert($0.0).inserted }
        }
        if isDuplicated { throw APIFailure(code: -1101, "Duplicate values for a parameter detected.") }
    }

    /// Decodes `%XX` escapes and `+` (a space in form encoding) without touching other bytes.
    static func percentDecode(_ text: Substring) -> String {
        percentDecode(text.utf8)
    }

    private static func percentDecode(_ utf8: Substring.UTF8View) -> String {
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(Substring(utf8))
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.distance(from: index, to: utf8.endIndex) >= 2,
                      let high = hexValue(utf8[index]),
                      let low = hexValue(utf8[utf8.index(after: index)]) {
                bytes.append(high << 4 | low)
                index = utf8.index(index, offsetBy: 2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    subscript(name: String) -> String? { values[name] }

    func has(_ name: String) -> Bool { values[name] != nil }

    /// Rejects parameters outside `allowed` and `extra` with Binance's -1104 count message.
    func requireOnly(_ allowed: Set<String>, alsoAllowing extra: Set<String> = []) throws(APIFailure) {
        let read = names.filter { allowed.contains($0) || extra.contains($0) }.count
        if read < names.count {
            throw APIFailure(
                code: -1104,
                "Not all sent parameters were read; read '\(read)' parameter(s) but was sent '\(names.count)'."
            )
        }
    }

    /// A mandatory text value; empty counts as missing (-1102).
    func required(_ name: String) throws(APIFailure) -> String {
        guard let value = values[name], !value.isEmpty else { throw APIFailure.mandatory(name) }
        return value
    }

    /// An optional text value; sent but empty is -1105.
    func optional(_ name: String) throws(APIFailure) -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw APIFailure(code: -1105, "Parameter '\(name)' was empty.") }
        return value
    }

    func decimal(_ name: String) throws(APIFailure) -> Decimal? {
        guard let text = try optional(name) else { return nil }
        guard Self.matchesDecimal(text), let value = DecimalText.parse(text) else {
            throw APIFailure.illegalCharacters(name, legal: Self.decimalPattern)
        }
        return value
    }

    func requiredDecimal(_ name: String) throws(APIFailure) -> Decimal {
        guard let value = try decimal(name) else { throw APIFailure.mandatory(name) }
        return value
    }

    func integer(_ name: String) throws(APIFailure) -> Int64? {
        guard let text = try optional(name) else { return nil }
        guard text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int64(text) else {
            throw APIFailure.illegalCharacters(name, legal: Self.integerPattern)
        }
        return value
    }

    /// Latest time accepted in `startTime` and `endTime`: 9999-12-31T23:59:59.999Z in milliseconds, so
    /// arithmetic on times cannot overflow.
    static let latestTime: Int64 = 253_402_300_799_999

    /// A time parameter in milliseconds (microseconds are converted), at most `latestTime`.
    func time(_ name: String) throws(APIFailure) -> Int64? {
        guard var value = try integer(name) else { return nil }
        if value > Self.latestTime { value /= 1000 }
        guard value <= Self.latestTime else { throw APIFailure.invalidParameter(name) }
        return value
    }

    /// A `limit` parameter: default when absent, values above `maximum` are capped as Binance does.
    func limit(default defaultValue: Int, maximum: Int) throws(APIFailure) -> Int {
        guard let value = try integer("limit") else { return defaultValue }
        guard value > 0 else { throw APIFailure.invalidParameter("limit") }
        return Int(min(value, Int64(maximum)))
    }

    func symbol(_ name: String = "symbol") throws(APIFailure) -> String {
        let text = try required(name)
        guard Self.matchesSymbol(text) else { throw APIFailure.illegalCharacters(name, legal: Self.symbolPattern) }
        return text
    }

    func optionalSymbol(_ name: String = "symbol") throws(APIFailure) -> String? {
        guard let text = try optional(name) else { return nil }
        guard Self.matchesSymbol(text) else { throw APIFailure.illegalCharacters(name, legal: Self.symbolPattern) }
        return text
    }

    /// The `symbols` parameter: a JSON array of symbol names such as `["BTCUSDT","ETHUSDT"]`.
    func symbolList(_ name: String = "symbols") throws(APIFailure) -> [String]? {
        guard let text = try optional(name) else { return nil }
        guard let data = text.data(using: .utf8),
              let list = try? JSONDecoder().decode([String].self, from: data),
              !list.isEmpty
        else {
            throw APIFailure(code: -1100, "Illegal characters found in parameter '\(name)'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.")
        }
        for symbol in list where !Self.matchesSymbol(symbol) {
            throw APIFailure.illegalCharacters(name, legal: Self.symbolPattern)
        }
        return list
    }

    static func matchesDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        for part in parts {
            guard (1...20).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        }
        return true
    }

    static func matchesSymbol(_ text: String) -> Bool {
        guard (1...20).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95 || byte == 46
        }
    }

    static func matchesClientOrderId(_ text: String) -> Bool {
        guard (1...36).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
        }
    }
}
