import BinanceAPI
import Foundation
import Shell
import Tools

/// Parsing and indexing a large exchangeInfo, and tab completion over its symbols.
enum ScaleBench {
    /// The recorded exchangeInfo with its symbols copied under new names until it lists `count` symbols.
    static func exchangeInfo(symbolCount count: Int, resource: String) throws -> (body: Data, symbols: Int) {
        let original = try Data(contentsOf: URL(fileURLWithPath: resource))
        guard var root = try JSONSerialization.jsonObject(with: original) as? [String: Any],
              let symbols = root["symbols"] as? [[String: Any]], !symbols.isEmpty
        else { throw BenchError("'\(resource)' is not an exchangeInfo object with symbols.") }

        var replicated = symbols
        var copy = 0
        while replicated.count < count {
            var symbol = symbols[copy % symbols.count]
            let name = symbol["symbol"] as? String ?? "SYMBOL"
            // A new name of at most 20 characters that no recorded symbol has: a prefix and the copy number.
            symbol["symbol"] = "Q\(copy)" + name.prefix(12)
            replicated.append(symbol)
            copy += 1
        }
        root["symbols"] = Array(replicated.prefix(count))
        return (try JSONSerialization.data(withJSONObject: root), min(count, replicated.count))
    }

    static func run(symbolCount: Int, resource: String, runs: Int) async throws {
        let (body, listed) = try exchangeInfo(symbolCount: symbolCount, resource: resource)
        let megabytes = Double(body.count) / 1_048_576
        print("exchangeInfo: \(listed) symbols, \(formatted(megabytes)) MiB of JSON")
        let clock = ContinuousClock()
        var readerTimes: [Double] = []
        for _ in 0..<runs {
            let started = clock.now
            guard ExchangeInfo.fastDecode(from: body) != nil else {
                print("exchangeInfo: the fast reader rejected this body, so JSONDecoder parses it")
                break
            }
            readerTimes.append(microseconds(clock.now - started) / 1000)
        }
        if !readerTimes.isEmpty {
            report("exchangeInfo \(listed) symbols: fast reader alone", Sample(readerTimes), unit: "ms", runs: "runs")
        }

        // The reader `ExchangeInfoCache` and the shell's symbol directory use: the trading rules of each symbol,
        // without the whole model.
        var rulesReaderTimes: [Double] = []
        for _ in 0..<runs {
            var symbols = 0
            let started = clock.now
            let limits = ExchangeInfo.readTradingRules(from: body) { _ in symbols += 1 }
            let elapsed = clock.now - started
            guard limits != nil, symbols == listed else {
                print("exchangeInfo: the trading-rules reader rejected this body")
                break
            }
            rulesReaderTimes.append(microseconds(elapsed) / 1000)
        }
        if !rulesReaderTimes.isEmpty {
            report("exchangeInfo \(listed) symbols: trading-rules reader alone", Sample(rulesReaderTimes), unit: "ms",
                   runs: "runs")
        }

        // Warm: the same process parses the body again and again, so caches and the allocator are warm.
        var times: [Double] = []
        for run in 0...runs {
            let started = clock.now
            let indexed = try await parseAndIndex(body)
            let elapsed = clock.now - started
            guard indexed == listed else { throw BenchError("indexed \(indexed) of \(listed) symbols") }
            if run == 0 { continue }  // warm-up
            times.append(microseconds(elapsed) / 1000)
        }
        report("exchangeInfo \(listed) symbols: parse and index", Sample(times), unit: "ms", runs: "runs",
               target: "≤ 30 ms")

        // Cold: a fresh process per run reads the body from a file and parses it once. Its peak resident memory
        // rises by what the parse needs, which a long-lived process hides by reusing freed pages.
        let file = NSTemporaryDirectory() + "binance-shell-bench-exchangeInfo-\(getpid()).json"
        try body.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var coldTimes: [Double] = []
        var peaks: [Double] = []
        var retained: [Double] = []
        for _ in 0..<min(runs, 10) {
            let figures = try runChild(["parse-once", file, String(listed)])
            guard figures.count == 3 else { throw BenchError("parse-once printed \(figures)") }
            coldTimes.append(figures[0])
            peaks.append(figures[1] / 1024)
            retained.append(figures[2] / 1024)
        }
        report("exchangeInfo \(listed) symbols: parse and index, fresh process", Sample(coldTimes), unit: "ms",
               runs: "processes")
        report("exchangeInfo \(listed) symbols: peak memory added", Sample(peaks), unit: "MiB", runs: "processes",
               target: "≤ 20 MiB")
        report("exchangeInfo \(listed) symbols: memory retained", Sample(retained), unit: "MiB", runs: "processes")

        var loads: [Double] = []
        let directory = SymbolDirectory()
        for _ in 0..<runs {
            let started = clock.now
            try directory.load(exchangeInfo: body)
            loads.append(microseconds(clock.now - started) / 1000)
        }
        report("shell symbol directory \(listed) symbols: load", Sample(loads), unit: "ms", runs: "runs")

        let venue = try BenchVenue()
        defer { venue.removeHome() }
        let completer = Completer(parser: CommandParser(tools: venue.engine.tools), symbols: directory)
        for line in ["price B", "price BTC", "buy ETHU", "get_ticker_price symbol="] {
            var samples: [Double] = []
            var candidates = 0
            for _ in 0..<2_000 {
                let started = clock.now
                candidates = completer.complete(line).candidates.count
                samples.append(microseconds(clock.now - started))
            }
            report("completion '\(line)' (\(candidates) candidates)", Sample(samples), unit: "µs", runs: "runs")
        }
    }
}

extension ScaleBench {
    /// Fetches `body` through a client and `ExchangeInfoCache`, which parses and indexes it; returns the symbols.
    static func parseAndIndex(_ body: Data) async throws -> Int {
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: FixedBodyTransport(body: body)
        )
        let cache = ExchangeInfoCache(client: client)
        let count = try await cache.allSymbols().count
        _ = try await cache.rules(for: "BTCUSDT")
        return count
    }

    /// `parse-once FILE SYMBOLS`, run in a fresh process: prints the milliseconds of one parse and index, the
    /// KiB the peak resident memory rose by during it, and the KiB still resident after it.
    static func parseOnce(file: String, expected: Int) async throws {
        let body = try Data(contentsOf: URL(fileURLWithPath: file))
        resetPeakResident()
        let baseline = residentKiB(peak: false)
        let clock = ContinuousClock()
        let started = clock.now
        let indexed = try await parseAndIndex(body)
        let elapsed = clock.now - started
        let peak = residentKiB(peak: true)
        let after = residentKiB(peak: false)
        guard indexed == expected else { throw BenchError("indexed \(indexed) of \(expected) symbols") }
        print(microseconds(elapsed) / 1000, peak - baseline, after - baseline)
    }

    /// Runs this benchmark binary with `arguments` and returns the numbers it printed on its last line.
    static func runChild(_ arguments: [String]) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(arguments[0]) exited with \(process.terminationStatus)") }
        let lastLine = String(decoding: output, as: UTF8.self).split(separator: "\n").last ?? ""
        return lastLine.split(separator: " ").compactMap { Double($0) }
    }
}

/// Answers every request with one fixed exchangeInfo body.
struct FixedBodyTransport: HTTPTransport {
    let body: Data

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body)
    }
}
