import Foundation

// Binance sends ids, times and counts as JSON numbers, but recordings made with ccxt (and a few wallet
// endpoints) write the same fields as strings such as "9780331417". These overloads make every synthesized
// `Decodable` in this module accept both forms for `Int` and `Int64`. Swift picks them over the generic
// `KeyedDecodingContainer` methods because they are declared in this module with the exact type.
// Encoding is unchanged, so models always write numbers, as Binance does.

extension KeyedDecodingContainer {
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try decode(LenientInteger.self, forKey: key).value
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try decodeIfPresent(LenientInteger.self, forKey: key)?.value
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try Int(decode(LenientInteger.self, forKey: key).value)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try decodeIfPresent(LenientInteger.self, forKey: key).map { Int($0.value) }
    }
}

/// A 64-bit integer written as a JSON number or as a string of decimal digits with an optional `-`.
struct LenientInteger: Decodable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
            return
        }
        let text = try container.decode(String.self)
        guard let number = Int64(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Invalid integer text '\(text)'."
            )
        }
        value = number
    }
}
