import Glibc
import Tools

/// The command line of `binance-shell`, parsed. Secrets never come from here: only from the environment,
/// the `.env` file or a key file.
package struct LaunchOptions: Sendable, Equatable {
    /// The job of the process.
    package enum Mode: Sendable, Equatable {
        /// The interactive shell on a terminal, script mode otherwise or with `-c`.
        case shell
        case mcp
        case serveSimulator(host: String, port: Int)
        /// Checks the audit log's hash chain; nil means the default path in `BINANCE_SHELL_HOME`.
        case verifyAudit(path: String?)
        case help
        case version
    }

    package var mode: Mode = .shell
    /// Commands of `-c`.
    package var commands: String?
    package var format: OutputFormat = .table
    package var confirmsOrders = false
    package var stopsOnError = false
    package var venue: Venue?
    package var envFile: String?

    package init() {}

    package static let defaultServeAddress = (host: "127.0.0.1", port: 0)

    /// Parses the arguments after the program name.
    /// - Throws: `ShellError` for an unknown flag, a stray argument, a missing or invalid value, or
    ///   conflicting modes.
    package static func parse(_ arguments: [String]) throws(ShellError) -> LaunchOptions {
        var options = LaunchOptions()
        var modeFlag: String?
        var index = 0

        func setMode(_ mode: Mode, flag: String) throws(ShellError) {
            if let modeFlag, modeFlag != flag {
                throw ShellError("Options \(modeFlag) and \(flag) cannot be combined: choose one.")
            }
            modeFlag = flag
            options.mode = mode
        }

        while index < arguments.count {
            var argument = arguments[index]
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                attached = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            index += 1

            func requiredValue() throws(ShellError) -> String {
                if let attached { return attached }
                guard index < arguments.count else { throw ShellError("Option \(argument) needs a value.") }
                index += 1
                return arguments[index - 1]
            }
            func optionalValue() -> String? {
                if let attached { return attached }
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                index += 1
                return arguments[index - 1]
            }
            func noValue() throws(ShellError) {
                if let attached { throw ShellError("Option \(argument) takes no value, got '\(attached)'.") }
            }

            switch argument {
            case "--help", "-h":
                try noValue()
                try setMode(.help, flag: "--help")
            case "--version":
                try noValue()
                try setMode(.version, flag: "--version")
            case "--mcp":
                try noValue()
                try setMode(.mcp, flag: "--mcp")
            case "-c":
                guard options.commands == nil else { throw ShellError("Option -c given twice.") }
                options.commands = try requiredValue()
            case "--json":
                try noValue()
                options.format = .json
            case "--yes":
                try noValue()
                options.confirmsOrders = true
            case "--stop-on-error":
                try noValue()
                options.stopsOnError = true
            case "--venue":
                let value = try requiredValue()
                guard let venue = Venue(rawValue: value.lowercased()), venue != .custom else {
                    throw ShellError("Invalid venue '\(value)': expected sim, testnet or live.")
                }
                options.venue = venue
            case "--env-file":
                options.envFile = try requiredValue()
            case "--serve-sim":
                let address = try parseAddress(optionalValue())
                try setMode(.serveSimulator(host: address.host, port: address.port), flag: "--serve-sim")
            case "--verify-audit":
                try setMode(.verifyAudit(path: optionalValue()), flag: "--verify-audit")
            default:
                if argument.hasPrefix("-") {
                    throw ShellError("Unknown option '\(argument)'. Run binance-shell --help for the options.")
                }
                throw ShellError(
                    "Unexpected argument '\(argument)': commands go after -c, as in binance-shell -c 'price BTCUSDT'.")
            }
        }
        if options.commands != nil, options.mode != .shell {
            throw ShellError("Option -c cannot be combined with \(modeFlag ?? "that mode").")
        }
        return options
    }

    /// Parses `HOST:PORT`, `HOST` or `:PORT` for `--serve-sim`; only IPv4 loopback addresses (127.0.0.0/8,
    /// written as digits) are accepted, the addresses the simulator's server can bind.
    static func parseAddress(_ text: String?) throws(ShellError) -> (host: String, port: Int) {
        guard let text else { return defaultServeAddress }
        var host = defaultServeAddress.host
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ShellError("Invalid --serve-sim address '\(text)': expected HOST:PORT such as 127.0.0.1:8080.")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty {
                throw ShellError("Invalid --serve-sim address '\(text)': expected HOST:PORT such as 127.0.0.1:8080.")
            }
        } else if let colon = text.lastIndex(of: ":") {
            if colon != text.startIndex { host = String(text[..<colon]) }
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        var port = defaultServeAddress.port
        if let portText {
            guard let number = Int(portText), (0...65535).contains(number) else {
                throw ShellError("Invalid port '\(portText)' in --serve-sim: expected a number from 0 to 65535.")
            }
            port = number
        }
        let urlHost = host.contains(":") ? "[\(host)]" : host
        guard Venue.isLoopback("http://\(urlHost)") else {
            throw ShellError(
                "Invalid --serve-sim host '\(host)': the simulator serves only on a loopback address such as 127.0.0.1.")
        }
        // The server binds an IPv4 socket from a numeric address (inet_pton), so names and IPv6 fail there;
        // rejecting them here gives the error before anything starts.
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw ShellError(
                "Invalid --serve-sim host '\(host)': write the loopback address as IPv4 digits, such as 127.0.0.1; "
                    + "the simulator binds no host names or IPv6 addresses.")
        }
        return (host, port)
    }

    /// Returns the `--help` text: every option with its default, then every environment variable with its default.
    package static func usage(version: String) -> String {
        var lines = [
            "binance-shell \(version): safe access to Binance for people and AI agents.",
            "",
            "Usage:",
            "  binance-shell                    interactive shell on a terminal; script mode when stdin is not one",
            "  binance-shell -c 'CMD; CMD'      run commands and exit",
            "  binance-shell < script.txt       run a script",
            "  binance-shell --mcp              MCP server on stdin and stdout",
            "",
            "Options:",
        ]
        let options: [(String, String)] = [
            ("-c COMMANDS", "run COMMANDS (separated by ';' or newlines) in script mode, then exit"),
            ("--json", "print each result as one line of JSON (default: tables)"),
            ("--yes", "confirm orders in script mode without asking (default: off; orders needing it fail)"),
            ("--stop-on-error", "stop a script at the first failed command (default: run every line)"),
            ("--venue sim|testnet|live", "where requests go (default: sim without an API key, else from "
                + "BINANCE_TESTNET)"),
            ("--env-file PATH", "read settings from PATH (default: .env in the working directory, if present)"),
            ("--mcp", "serve the tools over MCP on stdin and stdout (JSON-RPC lines); logs go to stderr"),
            ("--serve-sim [HOST:PORT]", "serve the simulated exchange over HTTP (default: 127.0.0.1:0, a free "
                + "port); prints its URL first"),
            ("--verify-audit [PATH]", "check the audit log's integrity (default: audit log in "
                + "BINANCE_SHELL_HOME)"),
            ("--help, -h", "show this help"),
            ("--version", "show the version"),
        ]
        let width = options.map(\.0.count).max() ?? 0
        lines += options.map { "  " + TextTable.padRight($0.0, to: width) + "  " + $0.1 }
        lines += ["", "Environment (also read from the .env file; the real environment wins):"]
        let variableWidth = Configuration.variables.map(\.name.count).max() ?? 0
        for variable in Configuration.variables {
            let defaultText = variable.defaultValue.isEmpty ? "none" : variable.defaultValue
            lines.append(
                "  " + TextTable.padRight(variable.name, to: variableWidth) + "  " + variable.meaning
                    + " (default: \(defaultText))")
        }
        lines += [
            "",
            "Exit status: 0 success, 1 a command failed, 2 usage or configuration error.",
        ]
        return lines.joined(separator: "\n")
    }
}
