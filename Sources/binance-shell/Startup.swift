import BinanceAPI
import Foundation
import Shell
import Tools

/// Writes `message` to stderr and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

/// Reads the environment, then the `.env` file (`--env-file`, else `.env` in the working directory when present),
/// and applies `--venue`.
/// - Throws: `ToolError` of type `configuration_error`.
func loadConfiguration(options: LaunchOptions, environment: [String: String]) throws(ToolError) -> Configuration {
    var envFileText: String?
    var envFilePath: String?
    if let path = options.envFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ToolError(.configurationError, "Cannot read the env file '\(path)': check the path given to --env-file.")
        }
        envFileText = text
        envFilePath = path
    } else if let text = try? String(contentsOfFile: ".env", encoding: .utf8) {
        envFileText = text
        envFilePath = ".env"
    }
    var configuration = try Configuration.load(environment: environment, envFileText: envFileText)
    // The path lets the credential check warn when the file is readable by other users.
    configuration.envFilePath = envFilePath
    configuration.venueOverride = options.venue
    return configuration
}

/// The logger of the process: one line per record on stderr, never stdout (MCP keeps stdout for JSON-RPC).
enum StandardErrorLogger {
    /// Level from `BINANCE_SHELL_LOG_LEVEL` (trace … critical), default `warning`.
    static func make(environment: [String: String]) -> Logger {
        let name = environment["BINANCE_SHELL_LOG_LEVEL"]?.lowercased() ?? "warning"
        let level = Logger.Level.allCases.first { $0.name == name } ?? .warning
        return Logger(label: "binance-shell", minimumLevel: level) { level, message, metadata in
            var line = "\(level.name): \(message)"
            for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
