import BinanceAPI
import Foundation
import Testing

/// The shared file keeps a decoded copy of what it last read or wrote. These tests check that the copy never
/// hides a change that another writer (another `SharedLimitFile` value, or a plain write) made to the file.
@Suite struct SharedLimitFileTests {
    private static let window = LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 100)
    private static let now: Int64 = 1_800_000_000_000

    private static func temporaryPath() -> String {
        NSTemporaryDirectory() + "shared-limit-\(UInt64.random(in: 0...UInt64.max)).json"
    }

    private static func used(_ state: RateLimiterState?) -> Int? {
        state?.usage(now: now).first { $0.window.kind == .requestWeight }?.used
    }

    private static func reserve(_ file: SharedLimitFile, weight: Int) {
        _ = file.update("spot", initial: RateLimiterState(windows: [window])) {
            $0.reserve(RequestCost(weight: weight), now: now)
        }
    }

    @Test func twoHoldersOfOneFileCountAgainstOneBudget() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = SharedLimitFile(path: path)
        let second = SharedLimitFile(path: path)

        Self.reserve(first, weight: 3)
        Self.reserve(second, weight: 4)
        Self.reserve(first, weight: 5)

        #expect(Self.used(first.read("spot")) == 12)
        #expect(Self.used(second.read("spot")) == 12)
    }

    @Test func aRewrittenFileIsReadAgain() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = SharedLimitFile(path: path)
        Self.reserve(file, weight: 7)
        #expect(Self.used(file.read("spot")) == 7)

        // Another writer replaces the count with one of the same length, so only the bytes differ.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("7"))
        try text.replacingOccurrences(of: "\"used\":7", with: "\"used\":9")
            .write(toFile: path, atomically: false, encoding: .utf8)
        #expect(Self.used(file.read("spot")) == 9)

        try Data().write(to: URL(fileURLWithPath: path))
        #expect(file.read("spot") == nil)
    }
}

extension SharedLimitFileTests {
    @Test func aShorterStateCutsOffTheOldTail() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A longer, unreadable file counts as empty, and the state written over it must not keep its tail.
        try Data(repeating: UInt8(ascii: "x"), count: 10_000).write(to: URL(fileURLWithPath: path))
        let file = SharedLimitFile(path: path)
        Self.reserve(file, weight: 3)
        #expect(Self.used(SharedLimitFile(path: path).read("spot")) == 3)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect((size ?? 0) < 10_000)
    }
}

extension SharedLimitFileTests {
    /// The file's layout as `JSONDecoder` reads it, independent of how the file is written.
    private struct FileContents: Decodable {
        var version: Int
        var scopes: [String: RateLimiterState]
    }

    @Test func writtenFileDecodesWithJSONDecoder() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = SharedLimitFile(path: path)
        // Keys are free text (they contain the base URL), so they include characters JSON must escape.
        let keys = ["http://127.0.0.1:8080 account=ab12 spot", "quote\" back\\slash\ttab\u{1}", "naïve €"]
        var expected: [String: RateLimiterState] = [:]
        for (offset, key) in keys.enumerated() {
            let written = file.update(key, initial: RateLimiterState()) { state in
                state.configure(LimitWindow.spotDefaults, at: Self.now - 5)
                _ = state.reserve(RequestCost(weight: 3 + offset, orders: 1), now: Self.now, guardMilliseconds: 400)
                state.pause(until: Self.now + 1000)
                if offset == 1 { state.ban(until: Self.now + 60_000) }
            }
            expected[key] = try #require(written).state
        }
        // A counter that never saw a request keeps the window start `Int64.min`.
        let untouched = try #require(file.update("fresh", initial: RateLimiterState(windows: [Self.window])) { $0.pause(until: 1) })
        expected["fresh"] = untouched.state

        let decoded = try JSONDecoder().decode(FileContents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(decoded.version == 2)
        #expect(decoded.scopes.count == expected.count)
        for (key, state) in expected {
            #expect(decoded.scopes[key] == state, "scope \(key)")
        }
    }

    @Test func fileWrittenByJSONEncoderIsRead() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = RateLimiterState(windows: [Self.window])
        _ = state.reserve(RequestCost(weight: 11), now: Self.now)
        struct Encoded: Encodable {
            var version = 2
            var scopes: [String: RateLimiterState]
        }
        try JSONEncoder().encode(Encoded(scopes: ["spot": state])).write(to: URL(fileURLWithPath: path))

        let file = SharedLimitFile(path: path)
        #expect(file.read("spot") == state)
        Self.reserve(file, weight: 2)
        #expect(Self.used(SharedLimitFile(path: path).read("spot")) == 13)
    }
}
