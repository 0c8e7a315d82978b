import Foundation

/// Measured values of one figure, in one unit, with the spread the report prints.
struct Sample {
    var values: [Double]

    init(_ values: [Double]) { self.values = values.sorted() }

    var count: Int { values.count }
    var min: Double { values.first ?? .nan }
    var max: Double { values.last ?? .nan }
    var median: Double { percentile(50) }

    /// Nearest-rank percentile, `rank` in 0...100.
    func percentile(_ rank: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let index = Int((rank / 100 * Double(values.count)).rounded(.up)) - 1
        return values[Swift.max(0, Swift.min(values.count - 1, index))]
    }
}

/// Prints one figure as `name  median V unit (min …, p99 …, max …; N runs)`, then `[target …]` when it has one.
func report(_ name: String, _ sample: Sample, unit: String, runs: String, showP99: Bool = false, target: String? = nil) {
    let p99 = showP99 ? ", p99 \(formatted(sample.percentile(99)))" : ""
    let spread = "min \(formatted(sample.min))\(p99), max \(formatted(sample.max))"
    let label = name.padding(toLength: Swift.max(name.count, 48), withPad: " ", startingAt: 0)
    let goal = target.map { "  [target \($0)]" } ?? ""
    print("\(label) median \(formatted(sample.median)) \(unit)  (\(spread); \(sample.count) \(runs))\(goal)")
}

/// Prints a single value that has no spread, such as a derived rate.
func reportValue(_ name: String, _ value: Double, unit: String, note: String) {
    let label = name.padding(toLength: Swift.max(name.count, 48), withPad: " ", startingAt: 0)
    print("\(label) \(formatted(value)) \(unit)  (\(note))")
}

/// Three significant digits at most, without scientific notation.
func formatted(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
    return String(format: "%.\(decimals)f", value)
}

/// Microseconds in a `Duration`.
func microseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1_000_000 + Double(parts.attoseconds) / 1_000_000_000_000
}

/// Resident memory of this process from `/proc/self/status`, in KiB: `VmRSS` now or `VmHWM`, the peak.
func residentKiB(peak: Bool) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    let key = peak ? "VmHWM:" : "VmRSS:"
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
        let digits = line.dropFirst(key.count).filter(\.isNumber)
        return Int(digits) ?? 0
    }
    return 0
}

/// Resets `VmHWM` to the current resident size (Linux 4.0 and later), so a later peak covers only what follows.
func resetPeakResident() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// User plus system CPU time of this process so far, every thread included, in microseconds.
func processCPUMicroseconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .nan }
    func micro(_ time: timeval) -> Double { Double(time.tv_sec) * 1_000_000 + Double(time.tv_usec) }
    return micro(usage.ru_utime) + micro(usage.ru_stime)
}
