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

        var times: [Double] = []
        var peaks: [Double] = []
        var retained: [Double] = []
        let clock = ContinuousClock()
        for run in 0...runs {
            let client = BinanceClient(
                configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
                transport: FixedBodyTransport(body: body)
            )
            let cache = ExchangeInfoCache(client: client)
            resetPeakResident()
            let baseline = residentKiB(peak: false)
            let started = clock.now
            let indexed = try await cache.allSymbols()
            let elapsed = clock.now - started
            let peak = residentKiB(peak: true)
            let after = residentKiB(peak: false)
            guard indexed.count == listed else { throw BenchError("indexed \(indexed.count) of \(listed) symbols") }
            _ = try await cache.rules(for: "BTCUSDT")
            if run == 0 { continue }  // warm-up
            times.append(microseconds(elapsed) / 1000)
            peaks.append(Double(peak - baseline) / 1024)
            retained.append(Double(after - baseline) / 1024)
        }
        report("exchangeInfo \(listed) symbols: parse and index", Sample(times), unit: "ms", runs: "runs")
        report("exchangeInfo \(listed) symbols: peak memory added", Sample(peaks), unit: "MiB", runs: "runs")
        report("exchangeInfo \(listed) symbols: memory retained", Sample(retained), unit: "MiB", runs: "runs")

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

/// Answers every request with one fixed exchangeInfo body.
struct FixedBodyTransport: HTTPTransport {
    let body: Data

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body)
    }
}
