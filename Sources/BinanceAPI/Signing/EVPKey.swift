import CCrypto

/// An OpenSSL `EVP_PKEY` loaded from PEM text, freed when the last reference goes away.
///
/// `@unchecked Sendable`: the key is never mutated after loading, and OpenSSL 3 allows concurrent signing and
/// verification with one `EVP_PKEY` because every operation creates its own `EVP_MD_CTX`.
final class EVPKey: @unchecked Sendable {
    enum Kind: Sendable, Equatable {
        case ed25519
        case rsa
    }

    let pointer: OpaquePointer
    let kind: Kind

    private init(pointer: OpaquePointer, kind: Kind) {
        self.pointer = pointer
        self.kind = kind
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Loads a private key: PKCS#8 (`BEGIN PRIVATE KEY`) for Ed25519 or RSA, or traditional `BEGIN RSA PRIVATE KEY`.
    static func privateKey(pem: [UInt8]) -> EVPKey? {
        load(pem: pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
    }

    /// Loads a public key (`BEGIN PUBLIC KEY`, SubjectPublicKeyInfo).
    static func publicKey(pem: [UInt8]) -> EVPKey? {
        load(pem: pem) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
    }

    /// Reads a key with `read` from a memory BIO over `pem`; keeps it only if it is Ed25519 or RSA.
    private static func load(pem: [UInt8], read: (OpaquePointer) -> OpaquePointer?) -> EVPKey? {
        guard !pem.isEmpty, pem.count < Int(Int32.max) else { return nil }
        let key: OpaquePointer? = pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
        // Loading failures leave entries on OpenSSL's per-thread error queue; clear them so they do not
        // surface in an unrelated later call.
        ERR_clear_error()
        guard let key else { return nil }

        switch EVP_PKEY_get_id(key) {
        case EVP_PKEY_ED25519:
            return EVPKey(pointer: key, kind: .ed25519)
        case EVP_PKEY_RSA:
            return EVPKey(pointer: key, kind: .rsa)
        default:
            EVP_PKEY_free(key)
            return nil
        }
    }

    /// Signs `message`: Ed25519 (RFC 8032) or RSASSA-PKCS1-v1_5 with SHA-256. Returns nil if OpenSSL fails.
    func sign(_ message: [UInt8]) -> [UInt8]? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        // Ed25519 hashes internally, so OpenSSL requires a NULL digest for it.
        let digest = kind == .rsa ? EVP_sha256() : nil
        guard EVP_DigestSignInit(context, nil, digest, nil, pointer) == 1 else { return nil }

        return message.withUnsafeBufferPointer { input -> [UInt8]? in
            var length = 0
            guard EVP_DigestSign(context, nil, &length, input.baseAddress, input.count) == 1 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, input.baseAddress, input.count) == 1 else {
                return nil
            }
            return Array(signature.prefix(length))
        }
    }

    /// Checks `signature` over `message` with this key's public half.
    func verify(_ signature: [UInt8], over message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        let digest = kind == .rsa ? EVP_sha256() : nil
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pointer) == 1 else { return false }

        return signature.withUnsafeBufferPointer { signatureBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                EVP_DigestVerify(
                    context,
                    signatureBuffer.baseAddress,
                    signatureBuffer.count,
                    messageBuffer.baseAddress,
                    messageBuffer.count
                ) == 1
            }
        }
    }
}
