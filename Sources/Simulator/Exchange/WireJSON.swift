import BinanceAPI
import Foundation

/// A JSON value written with its keys in the order given, so responses list fields in Binance's order.
enum WireJSON: Sendable {
    case object([(String, WireJSON)])
    case array([WireJSON])
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    /// Text inserted as is; it must already be valid JSON.
    case raw(String)
    /// An amount in units of 10^-8, written as a JSON string with 8 fraction digits, the text
    /// `decimal(_:scale:)` writes for the same value with the default scale.
    case units(Int64)

    static func int(_ value: Int) -> WireJSON { .int(Int64(value)) }

    /// A decimal written as a JSON string with exactly `scale` fraction digits (`"0.10000000"`).
    static func decimal(_ value: Decimal, scale: Int = 8) -> WireJSON {
        .string(DecimalText.format(value, scale: scale))
    }

    /// A decimal written as a JSON string without trailing zeros (`"0.1"`).
    static func plain(_ value: Decimal) -> WireJSON { .string(DecimalText.format(value)) }

    var bytes: [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(1024)
        write(into: &output)
        return output
    }

    var data: Data { Data(bytes) }

    func write(into output: inout [UInt8]) {
        switch self {
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(field.0, into: &output)
                output.append(UInt8(ascii: ":"))
                field.1.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            Self.writeString(text, into: &output)
        case .int(let value):
            Self.writeInteger(value, into: &output)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        case .raw(let text):
            output.append(contentsOf: text.utf8)
        case .units(let value):
            Self.writeUnits(value, into: &output)
        }
    }

    /// Writes `"12.34000000"` for 1,234,000,000 units, with no `Decimal` or `String` in between.
    static func writeUnits(_ value: Int64, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // A zero amount has no sign, as `DecimalText.format(_:scale:)` writes it.
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        writeInteger(Int64(magnitude / 100_000_000), into: &output)
        output.append(UInt8(ascii: "."))
        var fraction = magnitude % 100_000_000
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            for position in stride(from: 7, through: 0, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            output.append(contentsOf: buffer)
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes the decimal digits of `value` without making a `String`.
    static func writeInteger(_ value: Int64, into output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            output.append(contentsOf: buffer[(20 - count)...])
        }
    }

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Nearly every string (symbols, decimals, enum names) needs no escape and is copied whole.
        var contiguous = text
        let isCopied = contiguous.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 32 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            output.append(contentsOf: bytes)
            return true
        }
        if isCopied {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): output.append(contentsOf: [92, 92])
            case 10: output.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: output.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: output.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A Binance error answer: HTTP status plus the `{"code","msg"}` body.
struct APIFailure: Error, Sendable, Equatable {
    var status: Int
    var code: Int
    var message: String
    /// Extra response headers, such as `Retry-After` on 429 and 418.
    var headers: [String: String] = [:]

    init(status: Int = 400, code: Int, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    var body: Data {
        WireJSON.object([("code", .int(code)), ("msg", .string(message))]).data
    }

    static let invalidSymbol = APIFailure(code: -1121, "Invalid symbol.")
    static let invalidSignature = APIFailure(code: -1022, "Signature for this request is not valid.")
    static let apiKeyFormat = APIFailure(status: 401, code: -2014, "API-key format invalid.")
    static let apiKeyRejected = APIFailure(status: 401, code: -2015, "Invalid API-key, IP, or permissions for action.")
    static let timestampOutside = APIFailure(code: -1021, "Timestamp for this request is outside of the recvWindow.")
    static let timestampAhead = APIFailure(code: -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    static let insufficientBalance = APIFailure(code: -2010, "Account has insufficient balance for requested action.")
    static let wouldTake = APIFailure(code: -2010, "Order would immediately match and take.")
    static let wouldTrigger = APIFailure(code: -2010, "Order would trigger immediately.")
    static let duplicateOrder = APIFailure(code: -2010, "Duplicate order sent.")
    static let unknownOrderCancel = APIFailure(code: -2011, "Unknown order sent.")
    static let noSuchOrder = APIFailure(code: -2013, "Order does not exist.")
    static let unknownParameter = APIFailure(code: -1103, "An unknown parameter was sent.")

    static func filter(_ name: String) -> APIFailure { APIFailure(code: -1013, "Filter failure: \(name)") }

    static func mandatory(_ name: String) -> APIFailure {
        APIFailure(code: -1102, "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }

    static func eitherOr(_ first: String, _ second: String) -> APIFailure {
        APIFailure(code: -1102, "Param '\(first)' or '\(second)' must be sent, but both were empty/null!")
    }

    static func illegalCharacters(_ name: String, legal: String) -> APIFailure {
        APIFailure(code: -1100, "Illegal characters found in parameter '\(name)'; legal range is '\(legal)'.")
    }

    static func notRequired(_ name: String) -> APIFailure {
        APIFailure(code: -1106, "Parameter '\(name)' sent when not required.")
    }

    static func invalidParameter(_ name: String) -> APIFailure {
        APIFailure(code: -1130, "Data sent for parameter '\(name)' is not valid.")
    }
}
