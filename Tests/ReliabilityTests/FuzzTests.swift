import BinanceAPI
import Foundation
import MCP
import Shell
import Simulator
import Testing
import TestSupport
import Tools

/// Seeded fuzzing of the four parsers that take hostile input. Each target runs a bounded number of inputs
/// here; `Scripts/fuzz` runs many more by setting `RELIABILITY_FUZZ_ITERATIONS`. A crash ends the test
/// process; a hang shows as the slowest input taking a second or more of CPU time.
@Suite("Fuzzing with a seeded generator")
struct FuzzTests {
    static let fixtures = BinaryRunner.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/binance")

    static func fixture(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: fixtures.appendingPathComponent(name).path) ?? Data("{}".utf8))
    }

    static func engine() throws -> ToolEngine {
        let home = try BinaryRunner.temporaryHome()
        let configuration = try Configuration.load(environment: ["BINANCE_SHELL_HOME": home], envFileText: nil)
        let exchange = try ReliabilityServer.makeExchange()
        return try ToolEngine.make(
            configuration: configuration,
            transport: InProcessTransport(exchange: exchange),
            credentials: nil,
            logger: .disabled
        )
    }

    @Test func commandParserSurvivesFuzzedLines() async throws {
        try await ReliabilityHarness.offPool { try Self.fuzzCommandParser() }
    }

    static func fuzzCommandParser() throws {
        let parser = CommandParser(tools: try engine().tools)
        let seeds = [
            "price BTCUSDT", "buy BTCUSDT 0.001", "sell BTCUSDT 0.001 limit 70000", "book BTCUSDT 5",
            "create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=a-1",
            "get_klines symbol=ETHUSDT interval=1h limit=3 # comment", "cancel_order symbol=BTCUSDT order_id=12",
            "get_order_book symbol='BTC USDT' limit=\"5\"; balance", "orders BTCUSDT", "help create_order",
        ].map { Array($0.utf8) }
        var fuzzer = ReliabilityFuzzer(seed: ReliabilityFuzzer.seed(default: 1))
        var slowest = SlowestInput()
        var parsed = 0
        for _ in 0..<ReliabilityFuzzer.iterations(default: 2_000) {
            let input = fuzzer.below(10) == 0 ? fuzzer.randomBytes(maximumLength: 200) : fuzzer.mutate(fuzzer.pick(seeds))
            let line = String(decoding: input, as: UTF8.self)
            slowest.measure(input) {
                guard let commands = try? Tokenizer.commands(in: line) else { return }
                for command in commands where (try? parser.parse(command.words)) != nil { parsed += 1 }
            }
        }
        #expect(slowest.seconds < 1, "slowest input: \(slowest.input)")
        #expect(parsed > 0, "no fuzzed line parsed at all, so the seeds do not reach the parser")
    }

    /// The tokenizer's round trip (quote each word, split again, get the same words) on the saved regression
    /// inputs of `Fuzz/Corpus/tokenizer` and on seeded lines full of combining marks. Words holding control
    /// characters are left out, because `Tokenizer.quoted` does not quote them.
    @Test func tokenizerRoundTripHolds() throws {
        let corpus = BinaryRunner.packageRoot.appendingPathComponent("Fuzz/Corpus/tokenizer")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(names.contains("combining-mark-after-quote"))
        var inputs = names.map { Array(FileManager.default.contents(atPath: corpus.appendingPathComponent($0).path)!) }
        var fuzzer = ReliabilityFuzzer(seed: ReliabilityFuzzer.seed(default: 5))
        // U+0301 and U+0740 are combining marks, U+200D a zero-width joiner, U+FE0F a variation selector: each
        // joins the character before it into one grapheme cluster.
        let joiners = ["\u{0301}", "\u{0740}", "\u{200D}", "\u{FE0F}"].map { Array($0.utf8) }
        let seeds = ["price BTCUSDT", "get_order symbol='BTC USDT' limit=\"5\"; balance # note", "a\\ b;c"].map { Array($0.utf8) }
        for _ in 0..<ReliabilityFuzzer.iterations(default: 2_000) {
            var bytes = fuzzer.mutate(fuzzer.pick(seeds))
            for _ in 0..<(1 + fuzzer.below(4)) {
                bytes.insert(contentsOf: fuzzer.pick(joiners), at: fuzzer.below(bytes.count + 1))
            }
            inputs.append(bytes)
        }
        var failures: [String] = []
        for input in inputs {
            let line = String(decoding: input, as: UTF8.self)
            guard let commands = try? Tokenizer.commands(in: line) else { continue }
            for command in commands {
                let hasControl = command.words.contains { word in
                    word.unicodeScalars.contains { $0.properties.generalCategory == .control }
                }
                guard !hasControl else { continue }
                let requoted = command.words.map(Tokenizer.quoted).joined(separator: " ")
                let again = try? Tokenizer.commands(in: requoted)
                if again?.first?.words != command.words { failures.append(line) }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) lines changed words, such as \(failures.first.map { Array($0.utf8) } ?? [])")
    }

    @Test func tokenizerSplitsAtDelimitersBeforeMarks() throws {
        // A combining mark after a space, quote or `;` must not hide the delimiter.
        #expect(try Tokenizer.commands(in: "price \u{0301}BTC").first?.words == ["price", "\u{0301}BTC"])
        #expect(try Tokenizer.commands(in: "a '\u{0301}b c'").first?.words == ["a", "\u{0301}b c"])
        #expect(try Tokenizer.commands(in: "a;\u{0301}b").map(\.words) == [["a"], ["\u{0301}b"]])
        #expect(try Tokenizer.commands(in: "price BTCUSDT\r\nbalance").map(\.words) == [["price", "BTCUSDT"], ["balance"]])
    }

    @Test func frameDecoderSurvivesFuzzedMessages() async throws {
        try await ReliabilityHarness.offPool { Self.fuzzFrameDecoder() }
    }

    static func fuzzFrameDecoder() {
        let seeds = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}"#,
            #"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"[{"jsonrpc":"2.0","id":null,"method":"ping"},{"jsonrpc":"2.0","id":2.5,"result":{}}]"#,
        ].map { Array($0.utf8) }
        var fuzzer = ReliabilityFuzzer(seed: ReliabilityFuzzer.seed(default: 2))
        var slowest = SlowestInput()
        var messages = 0
        for _ in 0..<ReliabilityFuzzer.iterations(default: 2_000) {
            let input = fuzzer.below(10) == 0 ? fuzzer.randomBytes(maximumLength: 300) : fuzzer.mutate(fuzzer.pick(seeds))
            slowest.measure(input) {
                if case .message = FrameDecoder.decode(Data(input)) { messages += 1 }
            }
        }
        // Deep nesting and a huge line are decoded (or rejected) without a crash.
        let deep = Data(String(repeating: "[", count: 100_000).utf8)
        slowest.measure(Array("deep".utf8)) { _ = FrameDecoder.decode(deep) }
        let huge = Data(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + String(repeating: "x", count: 2_000_000) + "\"}").utf8)
        slowest.measure(Array("huge".utf8)) { _ = FrameDecoder.decode(huge) }
        #expect(slowest.seconds < 1, "slowest input: \(slowest.input.prefix(200))")
        #expect(messages > 0)
    }

    @Test func responseDecodersSurviveFuzzedBodies() async throws {
        try await ReliabilityHarness.offPool { Self.fuzzResponseDecoders() }
    }

    static func fuzzResponseDecoders() {
        let seeds = [
            "order_new_full.json", "order_new_ack.json", "order_cancel.json", "exchangeInfo.json", "account.json",
            "depth.json", "klines.json", "myTrades.json", "error_invalid_symbol.json", "avgPrice.json",
        ].map(fixture)
        var fuzzer = ReliabilityFuzzer(seed: ReliabilityFuzzer.seed(default: 3))
        var slowest = SlowestInput()
        var decoded = 0
        let decoder = JSONDecoder()
        for index in 0..<ReliabilityFuzzer.iterations(default: 500) {
            // exchangeInfo is large; mutate it less often so the run stays short.
            var seed = fuzzer.pick(seeds)
            if seed.count > 20_000, index % 10 != 0 { seed = fixture("order_new_full.json") }
            let body = Data(fuzzer.mutate(seed))
            slowest.measure(Array(body.prefix(200))) {
                if (try? decoder.decode(Order.self, from: body)) != nil { decoded += 1 }
                _ = try? decoder.decode(ErrorResponse.self, from: body)
                _ = try? decoder.decode(Account.self, from: body)
                _ = try? decoder.decode(OrderBook.self, from: body)
                _ = try? decoder.decode([Kline].self, from: body)
                _ = try? decoder.decode([MyTrade].self, from: body)
                _ = try? decoder.decode(AveragePrice.self, from: body)
                if body.count > 20_000 { _ = try? decoder.decode(ExchangeInfo.self, from: body) }
                _ = try? JSONValue.parse(body)
            }
        }
        #expect(slowest.seconds < 1, "slowest input: \(slowest.input)")
        #expect(decoded > 0)
    }

    /// The redactor's property: whatever surrounds a secret, and in whatever encoding it appears, the output
    /// holds none of its forms.
    @Test func redactorRemovesEveryFormOfTheSecret() async throws {
        try await ReliabilityHarness.offPool { Self.fuzzRedactor() }
    }

    static func fuzzRedactor() {
        let secrets = [ReliabilityHarness.canaryKey, ReliabilityHarness.canarySecret]
        let redactor = Redactor(secrets: secrets)
        var fuzzer = ReliabilityFuzzer(seed: ReliabilityFuzzer.seed(default: 4))
        var slowest = SlowestInput()
        var leaks: [String] = []
        let forms = secrets.flatMap { secret in ReliabilityHarness.leakForms(of: secret).prefix(5) }
        for _ in 0..<ReliabilityFuzzer.iterations(default: 2_000) {
            var text = String(decoding: fuzzer.randomBytes(maximumLength: 60), as: UTF8.self)
            let form = fuzzer.pick(forms)
            let position = fuzzer.below(4)
            switch position {
            case 0: text = form + text
            case 1: text += form
            case 2: text = text + "signature=" + form + "&" + text
            default: text = text + " " + form + " " + text + form
            }
            var output = ""
            slowest.measure(Array(text.utf8)) { output = redactor.redact(text) }
            if forms.contains(where: { output.contains($0) }) { leaks.append(text) }
        }
        #expect(leaks.isEmpty, "leaked in \(leaks.count) inputs, first: \(leaks.first ?? "")")
        #expect(slowest.seconds < 1)
    }
}
