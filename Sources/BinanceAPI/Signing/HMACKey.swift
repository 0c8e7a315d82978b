import CCrypto
import Foundation

/// An HMAC-SHA256 context set up once with its key, and copied for each MAC.
///
/// One-shot `HMAC` (OpenSSL 3.0) builds a new MAC context and processes the key into it on every call. A copy of
/// a keyed context (`EVP_MAC_CTX_dup`) starts from the processed key instead. The type is `@unchecked Sendable`
/// because the keyed context is never updated or finalized itself: `EVP_MAC_CTX_dup` only reads it (as `const`).
package final class HMACKey: @unchecked Sendable {
    private let template: OpaquePointer

    /// Returns nil when OpenSSL cannot set up the context (no HMAC or SHA-256 in the loaded providers).
    package init?(_ key: [UInt8]) {
        guard let algorithm = EVP_MAC_fetch(nil, "HMAC", nil) else {
            ERR_clear_error()
            return nil
        }
        defer { EVP_MAC_free(algorithm) }
        guard let context = EVP_MAC_CTX_new(algorithm) else {
            ERR_clear_error()
            return nil
        }
        // OSSL_PARAM keeps the pointers it is given, so both strings live until `EVP_MAC_init` returns.
        let name = strdup("digest")
        let digest = strdup("SHA256")
        defer {
            free(name)
            free(digest)
        }
        var parameters = [OSSL_PARAM_construct_utf8_string(name, digest, 0), OSSL_PARAM_construct_end()]
        // An empty key is valid HMAC input, but OpenSSL rejects a nil key pointer, so it gets one byte of storage.
        let storage = key.isEmpty ? [0] : key
        let initialized = storage.withUnsafeBufferPointer { buffer in
            EVP_MAC_init(context, buffer.baseAddress, key.count, &parameters)
        }
        guard initialized == 1 else {
            EVP_MAC_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// Keys set up so far, by key bytes. A process signs with one or two secrets, so the table stays small. It is
    /// emptied when it reaches `cacheLimit`, which bounds it in programs that use many keys.
    nonisolated(unsafe) private static var cache: [[UInt8]: HMACKey] = [:]
    private static let cacheLock = NSLock()
    private static let cacheLimit = 16

    /// Returns the set-up key for `key`, making it on first use; nil when OpenSSL cannot set one up.
    ///
    /// Signers and verifiers keep only their secret, so they look their key up here rather than storing it.
    package static func cached(_ key: [UInt8]) -> HMACKey? {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let found = cache[key] { return found }
        guard let made = HMACKey(key) else { return nil }
        if cache.count >= cacheLimit { cache.removeAll() }
        cache[key] = made
        return made
    }

    /// Returns the raw 32-byte MAC of `message`, or nil when OpenSSL fails to copy or finish the context.
    package func mac(_ message: [UInt8]) -> [UInt8]? {
        guard let context = EVP_MAC_CTX_dup(template) else {
            ERR_clear_error()
            return nil
        }
        defer { EVP_MAC_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let succeeded = message.withUnsafeBufferPointer { input in
            EVP_MAC_update(context, input.baseAddress, input.count) == 1
                && EVP_MAC_final(context, &output, &length, output.count) == 1
        }
        guard succeeded else {
            ERR_clear_error()
            return nil
        }
        return Array(output.prefix(length))
    }
}
