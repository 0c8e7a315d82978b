import Foundation

// In-process measurements for Scripts/bench. Each subcommand prints figures; none asserts a timing.
//   pipeline [CALLS]             whole tool calls on the in-process simulator, split into simulator and pipeline
//   scale [SYMBOLS] [RUNS]       parse and index an exchangeInfo of SYMBOLS symbols; shell completion over them
//   matching [ORDERS]            the simulator with ORDERS resting limit orders
//   parse-once FILE SYMBOLS      (used by scale) one parse in this fresh process: ms, peak KiB added, KiB retained

/// The recorded exchangeInfo snapshot, found relative to this file so the benchmark runs from any directory.
let exchangeInfoResource = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .appendingPathComponent("../../Sources/Simulator/Resources/exchangeInfo.json")
    .standardizedFileURL.path

let arguments = Array(CommandLine.arguments.dropFirst())
func integer(at index: Int, default value: Int) -> Int {
    guard arguments.count > index else { return value }
    guard let number = Int(arguments[index]), number > 0 else {
        FileHandle.standardError.write(Data("Invalid count '\(arguments[index])': expected a positive integer.\n".utf8))
        exit(2)
    }
    return number
}

do {
    switch arguments.first {
    case "pipeline":
        try await PipelineBench.run(calls: integer(at: 1, default: 20_000))
    case "scale":
        try await ScaleBench.run(
            symbolCount: integer(at: 1, default: 3_000),
            resource: exchangeInfoResource,
            runs: integer(at: 2, default: 20)
        )
    case "parse-once" where arguments.count == 3:
        try await ScaleBench.parseOnce(file: arguments[1], expected: integer(at: 2, default: 0))
    case "matching":
        try await MatchingBench.run(restingOrders: integer(at: 1, default: 10_000), resource: exchangeInfoResource)
    default:
        FileHandle.standardError.write(Data("Usage: binance-shell-bench pipeline [CALLS] | scale [SYMBOLS] [RUNS] | matching [ORDERS]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("binance-shell-bench: \(error)\n".utf8))
    exit(1)
}
