import BinanceAPI
import Foundation
import Tools

/// Seals and checks the `requestState` of stateless order confirmations.
///
/// A state is `payload.mac` in base64url, where the payload holds a binding of the call (tool and arguments), an
/// expiry and a random nonce, and the MAC is HMAC-SHA256 under a key drawn when the process starts. A state opens
/// once: a second use, another call's arguments, a changed byte or an expired state are all rejected. States do
/// not survive a restart.
package final class RequestStateSealer: @unchecked Sendable {
    private let key: [UInt8]
    private let lifetime: Duration
    // The lock protects `usedNonces`, which concurrent calls read and write.
    private let lock = NSLock()
    private var usedNonces: Set<String> = []

    package init(lifetime: Duration) {
        var generator = SystemRandomNumberGenerator()
        self.key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.lifetime = lifetime
    }

    /// A digest that ties a state to one tool and its exact arguments.
    package static func binding(tool: String, arguments: [String: JSONValue]) -> String {
        "tools/call " + tool + " " + JSONValue.object(arguments).serialized()
    }

    package func seal(binding: String, now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = HexEncoding.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let expiry = Int64(((now.timeIntervalSince1970 + seconds) * 1000).rounded())
        let payload = JSONValue.object([
            "binding": .string(digest(binding)),
            "expires": .int64(expiry),
            "nonce": .string(nonce),
        ]).serialized()
        let payloadBytes = Array(payload.utf8)
        return Self.base64URL(payloadBytes) + "." + Self.base64URL(HMACSigner.mac(key: key, message: payloadBytes))
    }

    /// Checks a state for the call described by `binding` and marks it used; false when it must be rejected.
    package func open(_ state: String, binding: String, now: Date = Date()) -> Bool {
        let parts = state.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let payloadBytes = Self.bytes(fromBase64URL: String(parts[0])),
            let mac = Self.bytes(fromBase64URL: String(parts[1])),
            Self.constantTimeEqual(mac, HMACSigner.mac(key: key, message: payloadBytes)),
            let payload = try? JSONValue.parse(Data(payloadBytes)),
            payload["binding"]?.stringValue == digest(binding),
            let expiry = payload["expires"]?.decimalValue,
            expiry > Decimal(now.timeIntervalSince1970 * 1000),
            let nonce = payload["nonce"]?.stringValue
        else { return false }

        lock.lock()
        defer { lock.unlock() }
        return usedNonces.insert(nonce).inserted
    }

    private func digest(_ binding: String) -> String {
        HexEncoding.encode(HMACSigner.mac(key: key, message: Array(binding.utf8)))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func bytes(fromBase64URL text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        guard let bytes = Data(base64Encoded: standard).map(Array.init) else { return nil }
        // Only the canonical spelling is accepted, so a changed padding bit cannot make a second valid state.
        return base64URL(bytes) == text ? bytes : nil
    }

    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
