/// Request parameters in the order they are sent, encoded once as RFC 3986 form data.
package struct RequestParameters: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    package private(set) var pairs: [(name: String, value: String)]

    package init() { pairs = [] }

    package init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Appends a parameter, or replaces the value of an existing one in place.
    package mutating func set(_ name: String, _ value: String?) {
        guard let value else {
            pairs.removeAll { $0.name == name }
            return
        }
        if let index = pairs.firstIndex(where: { $0.name == name }) {
            pairs[index].value = value
        } else {
            pairs.append((name: name, value: value))
        }
    }

    package subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The percent-encoded form `a=1&b=2`: unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay, every other byte
    /// of the UTF-8 form becomes `%XX` with upper-case hex.
    package var encoded: String {
        pairs.map { Self.percentEncode($0.name) + "=" + Self.percentEncode($0.value) }.joined(separator: "&")
    }

    package static func percentEncode(_ text: String) -> String {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    package static func == (lhs: RequestParameters, rhs: RequestParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}
