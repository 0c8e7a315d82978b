import Foundation

/// A `BINANCE_SIM_CLOCK` value that is not a time in milliseconds.
package struct SimulatorClockError: Error, CustomStringConvertible {
    package var text: String

    package var description: String {
        "Invalid \(SimulatorClock.environmentVariable) '\(text)': expected milliseconds since 1970-01-01 UTC, "
            + "such as 1780272000000."
    }
}

extension SimulatorClock {
    /// Name of the environment variable that stops the simulated exchange's clock at a fixed time.
    package static let environmentVariable = "BINANCE_SIM_CLOCK"

    /// Reads `BINANCE_SIM_CLOCK` as a clock fixed at that time in milliseconds, so two processes with the same
    /// value see the same prices. Returns nil when the variable is unset or empty, which means the system clock.
    /// - Throws: `SimulatorClockError` when the value is not a time between 2017 and 9999.
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SimulatorClockError) -> SimulatorClock? {
        guard let text = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        // Binance opened in 2017, and the upper bound keeps later arithmetic on times from overflowing.
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let milliseconds = Int64(text),
            (1_483_228_800_000...253_402_300_799_999).contains(milliseconds)
        else {
            throw SimulatorClockError(text: text)
        }
        return SimulatorClock(fixedAt: milliseconds)
    }
}
