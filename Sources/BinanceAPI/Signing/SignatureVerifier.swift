/// Checks request signatures the way Binance does, for the simulator (which must not use libcrypto itself).
package struct SignatureVerifier: Sendable {
    private enum Method: Sendable {
        case hmac(Secret)
        case publicKey(EVPKey)
    }

    private let method: Method

    /// A verifier for HMAC-SHA256 keys: the signature is the hex MAC of the payload under `secret`.
    package static func hmac(secret: Secret) -> SignatureVerifier {
        SignatureVerifier(method: .hmac(secret))
    }

    /// A verifier for Ed25519 or RSA keys.
    ///
    /// - Parameter pem: a public key (`BEGIN PUBLIC KEY`), or a private key in any form `PrivateKeySigner` reads,
    ///   in which case its public half is used.
    /// - Throws: `BinanceError.invalidRequest` when the text holds neither.
    package static func publicKey(pem: Secret) throws(BinanceError) -> SignatureVerifier {
        guard let key = EVPKey.publicKey(pem: pem.bytes) ?? EVPKey.privateKey(pem: pem.bytes) else {
            throw .invalidRequest(
                "The verification key could not be loaded: expected an Ed25519 or RSA public or private key "
                    + "in PEM form."
            )
        }
        return SignatureVerifier(method: .publicKey(key))
    }

    /// A short name of the algorithm: `HMAC-SHA256`, `Ed25519` or `RSA`.
    package var algorithm: String {
        switch method {
        case .hmac: "HMAC-SHA256"
        case .publicKey(let key): key.kind == .ed25519 ? "Ed25519" : "RSA"
        }
    }

    /// Returns whether `signature` (already percent-decoded) signs exactly `payload`.
    ///
    /// HMAC signatures are hex and compared without regard to case, in time independent of where they differ.
    /// Ed25519 and RSA signatures are base64; text that is not valid base64 never verifies.
    package func verify(payload: [UInt8], signature: String) -> Bool {
        switch method {
        case .hmac(let secret):
            let expected = Array(HexEncoding.encode(HMACSigner.cachedMAC(key: secret.bytes, message: payload)).utf8)
            return Self.constantTimeEqualIgnoringCase(expected, Array(signature.utf8))
        case .publicKey(let key):
            guard let bytes = Base64.decode(signature) else { return false }
            return key.verify(bytes, over: payload)
        }
    }

    /// Compares `expected` (lower-case hex) with `given`, folding ASCII upper case, without an early exit.
    private static func constantTimeEqualIgnoringCase(_ expected: [UInt8], _ given: [UInt8]) -> Bool {
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices {
            // `expected` is lower-case hex, so folding `A`-`Z` in `given` to lower case is enough.
            let folded = given[index] | (given[index] >= 0x41 && given[index] <= 0x5A ? 0x20 : 0)
            difference |= expected[index] ^ folded
        }
        return difference == 0
    }
}
