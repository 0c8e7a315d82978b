import Foundation

/// Ed25519 or RSA (PKCS#1 v1.5 with SHA-256) signatures in base64, made with a PEM private key.
///
/// Binance accepts both for API keys registered with a public key. The signature is returned before
/// percent-encoding, so `+`, `/` and `=` still appear in it; `RequestParameters` encodes them when sending.
package struct PrivateKeySigner: RequestSigner {
    private let key: EVPKey

    /// Loads a private key from PEM text: PKCS#8 (`BEGIN PRIVATE KEY`) holding an Ed25519 or RSA key, or
    /// a traditional `BEGIN RSA PRIVATE KEY`. Encrypted keys are not supported.
    /// - Throws: `BinanceError.invalidRequest` when the text is not such a key. The message never quotes the key.
    package init(pem: Secret) throws(BinanceError) {
        guard let key = EVPKey.privateKey(pem: pem.bytes) else {
            throw .invalidRequest(
                "The private key could not be loaded: expected an unencrypted Ed25519 or RSA private key in PEM "
                    + "form ('BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY')."
            )
        }
        self.key = key
    }

    package var algorithm: String { key.kind == .ed25519 ? "Ed25519" : "RSA" }

    package func signature(for payload: [UInt8]) throws(BinanceError) -> String {
        guard let signature = key.sign(payload) else {
            throw .invalidRequest("Signing with the \(algorithm) private key failed in OpenSSL.")
        }
        return Base64.encode(signature)
    }
}

/// Standard base64 (RFC 4648 with `+`, `/` and `=` padding), as Binance uses for RSA and Ed25519 signatures.
package enum Base64 {
    package static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes padded base64; returns nil for any other character or a wrong length.
    package static func decode(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }
}
