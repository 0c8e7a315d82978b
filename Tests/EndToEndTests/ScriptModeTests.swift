import Foundation
import TestSupport
import Testing
import Tools

/// Runs the built executable in script mode over pipes and checks what it prints and its exit status.
struct ScriptModeTests {
    func run(_ arguments: [String], input: String = "", extra: [String: String] = [:]) throws -> BinaryRunner.Output {
        let home = try BinaryRunner.temporaryHome()
        let output = try BinaryRunner.run(
            arguments,
            input: input,
            environment: BinaryRunner.cleanEnvironment(home: home, extra: ["MCP_LOG_SECURITY": "false"].merging(extra) { $1 }),
            workingDirectory: home,
            timeout: .seconds(90)
        )
        #expect(!output.timedOut)
        return output
    }

    @Test func helpListsFlagsAndVariables() throws {
        let output = try run(["--help"])
        #expect(output.status == 0)
        #expect(output.stderr == "")
        for flag in ["--mcp", "-c COMMANDS", "--json", "--yes", "--stop-on-error", "--venue", "--env-file",
                     "--serve-sim", "--verify-audit", "--version"] {
            #expect(output.stdout.contains(flag))
        }
        for variable in Configuration.variables { #expect(output.stdout.contains(variable.name)) }
    }

    @Test func serveSimOnBusyPortNamesAddress() throws {
        let busy = try APILoopbackServer { _ in .http(body: "{}") }
        defer { busy.stop() }

        let output = try run(["--serve-sim", "127.0.0.1:\(busy.port)"])

        #expect(output.status == 2)
        #expect(output.stdout == "")
        #expect(
            output.stderr
                == "binance-shell: cannot start the simulator: The address 127.0.0.1:\(busy.port) is already in use by "
                + "another process: stop that process, choose another port such as --serve-sim "
                + "127.0.0.1:\(busy.port + 1), or give no port, as in --serve-sim 127.0.0.1, to let the system pick a "
                + "free one.\n"
        )
    }

    @Test func versionPrintsOneLine() throws {
        let output = try run(["--version"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("binance-shell "))
        #expect(output.stdout.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        (["--bogus"], "binance-shell: Unknown option '--bogus'. Run binance-shell --help for the options.\n"),
        (["stray"], "binance-shell: Unexpected argument 'stray': commands go after -c, as in binance-shell -c "
            + "'price BTCUSDT'.\n"),
        (["--venue", "moon"], "binance-shell: Invalid venue 'moon': expected sim, testnet or live.\n"),
    ])
    func usageErrorsExitTwo(_ arguments: [String], _ message: String) throws {
        let output = try run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr == message)
        #expect(output.stdout == "")
    }

    @Test func configurationErrorExitsTwo() throws {
        let output = try run(["-c", "help"], extra: ["BINANCE_RECV_WINDOW": "soon"])
        #expect(output.status == 2)
        #expect(output.stderr == "binance-shell: Invalid BINANCE_RECV_WINDOW 'soon': expected a whole number from 1 to "
            + "60000.\n")
        #expect(output.stdout == "")
    }

    @Test func missingEnvFileExitsTwo() throws {
        let output = try run(["--env-file", "/nonexistent/.env", "-c", "help"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("'/nonexistent/.env'"))
    }

    @Test func liveVenueWithoutKeyExitsTwo() throws {
        let output = try run(["--venue", "live", "-c", "help"])
        #expect(output.status == 2)
        #expect(output.stderr == "binance-shell: The live venue needs BINANCE_API_KEY: set it in the environment or "
            + ".env.\n")
    }

    @Test func envFileSettingsApply() throws {
        let home = try BinaryRunner.temporaryHome()
        try "BINANCE_RECV_WINDOW=abc\n".write(toFile: home + "/.env", atomically: true, encoding: .utf8)
        let output = try BinaryRunner.run(
            ["-c", "help"], environment: BinaryRunner.cleanEnvironment(home: home), workingDirectory: home)
        #expect(output.status == 2)
        #expect(output.stderr.contains("Invalid BINANCE_RECV_WINDOW 'abc'"))
    }

    @Test func errorsGoToStderrWithLineNumbers() throws {
        let output = try run([], input: "# a comment\n\nhelp a b\nprise BTCUSDT\nformat xml\n")
        #expect(output.status == 1)
        #expect(output.stdout == "")
        let lines = output.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        #expect(lines[0] == "line 3: Unexpected argument 'b': expected help [COMMAND|TOOL].")
        #expect(lines[1].hasPrefix("line 4: Unknown command 'prise'."))
        #expect(lines[2] == "line 5: Invalid format 'xml': expected json or table.")
    }

    @Test func commandOptionRunsSemicolonSeparatedCommands() throws {
        let output = try run(["-c", "format json; help format; bogus"])
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(output.stderr.hasPrefix("line 1: Unknown command 'bogus'."))
    }

    @Test func jsonLinesParse() throws {
        let output = try run(["--json"], input: "help set\nunknowncommand\n")
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        let help = try JSONValue.parse(Data(lines[0].utf8))
        #expect(help["success"] == .bool(true))
        #expect(help["data"]?["help"]?.stringValue?.contains("set symbol") == true)
        let failure = try JSONValue.parse(Data(lines[1].utf8))
        #expect(failure["success"] == .bool(false))
        #expect(failure["error"]?["type"] == .string("validation_error"))
        #expect(output.stderr.hasPrefix("line 2: Unknown command 'unknowncommand'."))
    }

    @Test func stopOnErrorSkipsTheRest() throws {
        let output = try run(["--stop-on-error"], input: "bogus\nhelp\n")
        #expect(output.status == 1)
        #expect(output.stdout == "")
    }

    @Test func scriptModeKeepsNoHistory() throws {
        let home = try BinaryRunner.temporaryHome()
        _ = try BinaryRunner.run([], input: "help\n", environment: BinaryRunner.cleanEnvironment(home: home))
        #expect(!FileManager.default.fileExists(atPath: home + "/history"))
    }
}
