import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small JSON file that carries server-imposed pauses (HTTP 429 `Retry-After`) and bans (HTTP 418) between
/// processes that share one API key or IP, so each of them obeys a pause or ban that any of them received.
///
/// Every access holds `flock` on the file: shared for reads, exclusive for read-modify-write. Times are
/// milliseconds since the Unix epoch. An unreadable or malformed file counts as empty, because the limits
/// are a courtesy to the server and must not stop the client.
package struct SharedLimitFile: Sendable {
    /// The pause and ban recorded for one group of hosts.
    package struct Entry: Codable, Sendable, Equatable {
        package var bannedUntil: Int64?
        package var retryAfterUntil: Int64?

        package init(bannedUntil: Int64? = nil, retryAfterUntil: Int64? = nil) {
            self.bannedUntil = bannedUntil
            self.retryAfterUntil = retryAfterUntil
        }
    }

    package let path: String

    package init(path: String) { self.path = path }

    /// Returns the entries by group name (`spot`, `futures`).
    package func read() -> [String: Entry] {
        withLockedFile(exclusive: false) { descriptor in Self.decode(Self.readAll(descriptor)) } ?? [:]
    }

    /// Raises the recorded times of `group` to at least those in `entry`, and returns the merged entries.
    @discardableResult
    package func record(_ entry: Entry, group: String) -> [String: Entry] {
        withLockedFile(exclusive: true) { descriptor in
            var entries = Self.decode(Self.readAll(descriptor))
            var merged = entries[group] ?? Entry()
            merged.bannedUntil = Self.later(merged.bannedUntil, entry.bannedUntil)
            merged.retryAfterUntil = Self.later(merged.retryAfterUntil, entry.retryAfterUntil)
            entries[group] = merged
            if let data = try? JSONEncoder().encode(entries) {
                _ = ftruncate(descriptor, 0)
                _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            }
            return entries
        } ?? [:]
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

    private static func decode(_ data: Data) -> [String: Entry] {
        guard !data.isEmpty else { return [:] }
        return (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    private static func later(_ first: Int64?, _ second: Int64?) -> Int64? {
        switch (first, second) {
        case (nil, nil): nil
        case (let value?, nil), (nil, let value?): value
        case (let a?, let b?): max(a, b)
        }
    }
}
