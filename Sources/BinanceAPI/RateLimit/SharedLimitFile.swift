import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small JSON file with the rate-limiter state of every process that uses one base URL and API key. It
/// stores the counts of each window, the limits the exchange reported with the time they were read, and
/// server-imposed pauses (HTTP 429 `Retry-After`) and bans (HTTP 418).
///
/// Each process reserves a request's weight and order count in the file before sending it, so two processes
/// together stay within one budget. The usage headers of responses remain the backstop for traffic that
/// bypasses the file. Every access holds `flock` on the file: shared for reads, exclusive for
/// read-modify-write. An unreadable or malformed file counts as empty, and when it cannot be opened at all
/// the caller keeps its state in memory, because the limits are a courtesy to the server and must not stop
/// the client.
package struct SharedLimitFile: Sendable {
    private struct Contents: Codable {
        var version = 2
        var scopes: [String: RateLimiterState] = [:]
    }

    package let path: String

    package init(path: String) { self.path = path }

    /// Returns the state stored under `key`, or nil when the file has none or cannot be read.
    package func read(_ key: String) -> RateLimiterState? {
        withLockedFile(exclusive: false) { descriptor in Self.decode(Self.readAll(descriptor)).scopes[key] } ?? nil
    }

    /// Applies `body` to the state stored under `key` (or to `initial` when there is none) while holding the
    /// exclusive lock, and writes the result back if it changed.
    /// - Returns: the body's result and the new state, or nil when the file cannot be opened or locked.
    package func update<Result>(
        _ key: String,
        initial: RateLimiterState,
        _ body: (inout RateLimiterState) -> Result
    ) -> (result: Result, state: RateLimiterState)? {
        withLockedFile(exclusive: true) { descriptor in
            var contents = Self.decode(Self.readAll(descriptor))
            let before = contents.scopes[key]
            var state = before ?? initial
            let result = body(&state)
            if state != before {
                contents.scopes[key] = state
                Self.write(contents, to: descriptor)
            }
            return (result, state)
        }
    }

    private func withLockedFile<T>(exclusive: Bool, _ body: (Int32) -> T) -> T? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) == 0 else { return nil }
        defer { flock(descriptor, LOCK_UN) }
        return body(descriptor)
    }

    private static func readAll(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            guard count > 0 else { break }
            data.append(contentsOf: buffer.prefix(count))
            offset += off_t(count)
        }
        return data
    }

    private static func write(_ contents: Contents, to descriptor: Int32) {
        guard let data = try? JSONEncoder().encode(contents) else { return }
        _ = ftruncate(descriptor, 0)
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Decodes the file; an empty, malformed or older-format file gives empty contents.
    private static func decode(_ data: Data) -> Contents {
        guard !data.isEmpty, let contents = try? JSONDecoder().decode(Contents.self, from: data),
            contents.version == 2
        else { return Contents() }
        return contents
    }
}
