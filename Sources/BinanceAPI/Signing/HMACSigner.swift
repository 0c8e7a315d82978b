import CCrypto

/// HMAC-SHA256 signatures in lower-case hex, keyed with the API secret.
package struct HMACSigner: RequestSigner {
    private let secret: Secret

    package init(secret: Secret) { self.secret = secret }

    package var algorithm: String { "HMAC-SHA256" }

    package func signature(for payload: [UInt8]) throws(BinanceError) -> String {
        HexEncoding.encode(Self.cachedMAC(key: secret.bytes, message: payload))
    }

    /// Computes the raw 32-byte HMAC-SHA256 of `message` under `key` from a context keyed once per key
    /// (`HMACKey.cached`). It falls back to `mac(key:message:)` when OpenSSL cannot set one up.
    static func cachedMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
        HMACKey.cached(key)?.mac(message) ?? mac(key: key, message: message)
    }

    /// Computes the raw 32-byte HMAC-SHA256 of `message` under `key`.
    package static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                _ = HMAC(
                    EVP_sha256(),
                    keyBuffer.baseAddress,
                    Int32(keyBuffer.count),
                    messageBuffer.baseAddress,
                    messageBuffer.count,
                    &output,
                    &length
                )
            }
        }
        return Array(output.prefix(Int(length)))
    }
}

/// Lower-case hexadecimal encoding through a lookup table (`String(format:)` is slow on Linux).
package enum HexEncoding {
    private static let digits = Array("0123456789abcdef".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
