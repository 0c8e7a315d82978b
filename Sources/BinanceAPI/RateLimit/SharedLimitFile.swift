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
/// bypasses the file. Every access takes `flock` on the file: shared for reads, exclusive for
/// read-modify-write. An unreadable or malformed file counts as empty, and when it cannot be opened at all
/// the caller keeps its state in memory, because the limits are a courtesy to the server and must not stop
/// the client.
///
/// Decoding the file with `JSONDecoder` took about a tenth of the CPU time of a read over a network venue,
/// twice per request. So each value keeps the bytes it last read or wrote with their decoded contents, and
/// decodes again only when the bytes under the lock differ. The file is still read, under its lock, on every
/// access, so a change by any other process is seen exactly as before.
package struct SharedLimitFile: Sendable {
    private struct Contents: Codable {
        var version = 2
        var scopes: [String: RateLimiterState] = [:]
    }

    /// The bytes last read from or written to the file and what they decode to.
    private final class DecodedCopy: @unchecked Sendable {
        // The lock protects both stored properties.
        private let lock = NSLock()
        private var bytes: Data?
        private var contents = Contents()

        /// Returns the contents of `data`, decoding it only when it differs from the bytes kept.
        func contents(of data: Data) -> Contents {
            if let kept = lock.withLock({ bytes == data ? contents : nil }) { return kept }
            let decoded = SharedLimitFile.decode(data)
            keep(data, decoded)
            return decoded
        }

        func keep(_ data: Data, _ decoded: Contents) {
            lock.withLock {
                bytes = data
                contents = decoded
            }
        }
    }

    package let path: String
    private let copy = DecodedCopy()

    package init(path: String) { self.path = path }

    /// Returns the state stored under `key`, or nil when the file has none or cannot be read.
    package func read(_ key: String) -> RateLimiterState? {
        withLockedFile(exclusive: false) { descriptor in copy.contents(of: Self.readAll(descriptor)).scopes[key] } ?? nil
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
            let bytes = Self.readAll(descriptor)
            var contents = copy.contents(of: bytes)
            let before = contents.scopes[key]
            var state = before ?? initial
            let result = body(&state)
            if state != before {
                contents.scopes[key] = state
                if let written = Self.write(contents, to: descriptor, previousLength: bytes.count) { copy.keep(written, contents) }
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
            // A short read of a regular file is its end, since every writer holds the exclusive lock.
            if count < buffer.count { break }
        }
        return data
    }

    /// Replaces the file's bytes and returns them when all were written.
    private static func write(_ contents: Contents, to descriptor: Int32, previousLength: Int) -> Data? {
        let data = encode(contents)
        // Overwriting in place and cutting off only a longer tail keeps the file's blocks. Readers take the lock, so
        // they never see a half-written file.
        let written = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == data.count else {
            _ = ftruncate(descriptor, 0)
            return nil
        }
        if previousLength > data.count { _ = ftruncate(descriptor, off_t(data.count)) }
        return data
    }

    /// Encodes the contents as compact JSON that `decode` reads back, with the scopes in key order.
    private static func encode(_ contents: Contents) -> Data {
        var text: [UInt8] = []
        text.reserveCapacity(1024)
        text.append(contentsOf: #"{"version":"#.utf8)
        JSONText.appendInteger(Int64(contents.version), to: &text)
        text.append(contentsOf: #","scopes":{"#.utf8)
        for (index, key) in contents.scopes.keys.sorted().enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            JSONText.appendString(key, to: &text)
            text.append(UInt8(ascii: ":"))
            contents.scopes[key]?.appendJSON(to: &text)
        }
        text.append(contentsOf: "}}".utf8)
        return Data(text)
    }

    /// Decodes the file; an empty, malformed or older-format file gives empty contents.
    private static func decode(_ data: Data) -> Contents {
        guard !data.isEmpty, let contents = try? JSONDecoder().decode(Contents.self, from: data),
            contents.version == 2
        else { return Contents() }
        return contents
    }
}
