/// Secret bytes (an API secret or private-key PEM) that never print themselves.
///
/// `description`, `debugDescription` and reflection show `<redacted>`. The type is not `Codable`, so it cannot
/// be written into a log or a result by accident. Only signers read the bytes.
package struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package let bytes: [UInt8]

    package init(_ text: String) { bytes = Array(text.utf8) }

    package init(bytes: [UInt8]) { self.bytes = bytes }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The secret as text, for the redactor's list of strings to remove. Never use it for output.
    package var textForRedaction: String { String(decoding: bytes, as: UTF8.self) }
}

/// Signs the exact payload bytes of a request (query string followed by body).
package protocol RequestSigner: Sendable {
    /// Returns the value of the `signature` parameter, before percent-encoding.
    func signature(for payload: [UInt8]) throws(BinanceError) -> String
    /// A short name for logs and status: `HMAC-SHA256`, `Ed25519` or `RSA`.
    var algorithm: String { get }
}

/// The API key and the signer that proves it.
package struct Credentials: Sendable, CustomStringConvertible {
    /// The `X-MBX-APIKEY` value. Sent as a header; never logged.
    package let apiKey: Secret
    package let signer: any RequestSigner

    package init(apiKey: Secret, signer: any RequestSigner) {
        self.apiKey = apiKey
        self.signer = signer
    }

    package var description: String { "Credentials(<redacted>, \(signer.algorithm))" }
}
