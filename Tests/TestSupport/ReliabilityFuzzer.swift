import Foundation

/// A seeded input generator for fuzzing without libFuzzer: the same seed gives the same inputs, so a failure
/// can be replayed from the seed and the iteration number printed with it.
package struct ReliabilityFuzzer {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits (SplitMix64).
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number from 0 up to but not including `bound`.
    package mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    package mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Iterations per target: `RELIABILITY_FUZZ_ITERATIONS` when set (the long run of `Scripts/fuzz`), else
    /// `defaultCount` (the bounded run of the test suite).
    package static func iterations(default defaultCount: Int) -> Int {
        ProcessInfo.processInfo.environment["RELIABILITY_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? defaultCount
    }

    /// The seed: `RELIABILITY_FUZZ_SEED` when set, else `defaultSeed`.
    package static func seed(default defaultSeed: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["RELIABILITY_FUZZ_SEED"].flatMap { UInt64($0) } ?? defaultSeed
    }

    /// Bytes that often break parsers: JSON punctuation, quotes, escapes, control bytes, invalid UTF-8.
    static let interestingBytes: [UInt8] = [
        0x00, 0x0A, 0x0D, 0x09, 0x20, 0x22, 0x27, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x3D, 0x3B, 0x23,
        0x2D, 0x2E, 0x30, 0x39, 0x65, 0x45, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFE, 0xFF,
    ]

    /// Tokens spliced into inputs: JSON literals, huge and tiny numbers, escapes and words of the grammar.
    static let tokens: [String] = [
        "null", "true", "false", "1e400", "-1e-400", "1E-8", "NaN", "Infinity", "-0", "0.00000001",
        "99999999999999999999999999999999999999", "\"\\u0000\"", "\"\\ud800\"", "\\", "\"", "{", "}", "[", "]",
        "\"jsonrpc\":\"2.0\"", "\"id\":", "\"method\":", "\"params\":", "tools/call", "initialize", "ping",
        "symbol=", "quantity=", "price=", "side=", "BTCUSDT", "'", "\"", ";", "#", "=", "--json", "buy", "sell",
        "limit", "create_order", "cancel_order", "get_order", "\u{202E}", "\u{FEFF}", "é", "😀", "\t", "  ",
    ]

    /// Mutates `seed` a few times: flip, insert, delete, duplicate, truncate or splice a token.
    package mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(4) {
            switch below(7) {
            case 0 where !bytes.isEmpty:
                bytes[below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
            case 1:
                bytes.insert(pick(Self.interestingBytes), at: below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                let start = below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(8)))
            case 3 where !bytes.isEmpty:
                let start = below(bytes.count)
                let slice = bytes[start..<min(bytes.count, start + 1 + below(32))]
                bytes.insert(contentsOf: slice, at: below(bytes.count + 1))
            case 4 where !bytes.isEmpty:
                bytes.removeLast(below(bytes.count))
            case 5:
                bytes.insert(contentsOf: Array(pick(Self.tokens).utf8), at: below(bytes.count + 1))
            default:
                bytes.append(UInt8(truncatingIfNeeded: next()))
            }
        }
        return bytes
    }

    /// Random bytes of length below `maximumLength`.
    package mutating func randomBytes(maximumLength: Int) -> [UInt8] {
        (0..<below(maximumLength)).map { _ in below(3) == 0 ? pick(Self.interestingBytes) : UInt8(truncatingIfNeeded: next()) }
    }
}

/// Measures the slowest single call of a fuzz run, to find inputs that hang a target.
///
/// It counts the CPU time of the calling thread, not wall time: on a loaded machine a call can wait for a core
/// for over a second, while an input that makes a target spin still shows as CPU time.
package struct SlowestInput {
    /// CPU seconds of the slowest call.
    package private(set) var seconds: Double = 0
    package private(set) var input: [UInt8] = []

    package init() {}

    /// Runs `body` on `input` and keeps the input if it took longest so far.
    package mutating func measure(_ input: [UInt8], _ body: () -> Void) {
        let start = Self.threadCPUSeconds()
        body()
        let elapsed = Self.threadCPUSeconds() - start
        if elapsed > seconds {
            seconds = elapsed
            self.input = input
        }
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
