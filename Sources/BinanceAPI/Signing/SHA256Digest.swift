import CCrypto

/// SHA-256 through OpenSSL, for callers outside this module that must not link libcrypto themselves.
package enum SHA256Digest {
    /// Returns the 32-byte SHA-256 digest of `bytes`.
    package static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let succeeded = bytes.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, EVP_sha256(), nil)
        }
        // EVP_Digest fails only when OpenSSL cannot allocate a context.
        precondition(succeeded == 1, "OpenSSL SHA-256 failed")
        return Array(output.prefix(Int(length)))
    }

    /// Returns the digest of `bytes` in lower-case hex.
    package static func hexHash(_ bytes: [UInt8]) -> String {
        HexEncoding.encode(hash(bytes))
    }
}
