import Shell
import Testing
import Tools

struct LaunchOptionsTests {
    @Test func defaultsToTheShell() throws {
        let options = try LaunchOptions.parse([])
        #expect(options == LaunchOptions())
        #expect(options.mode == .shell)
        #expect(options.format == .table)
    }

    @Test func parsesEveryFlag() throws {
        let options = try LaunchOptions.parse([
            "-c", "price BTCUSDT; balance", "--json", "--yes", "--stop-on-error", "--venue", "testnet",
            "--env-file=/tmp/x.env",
        ])
        #expect(options.commands == "price BTCUSDT; balance")
        #expect(options.format == .json)
        #expect(options.confirmsOrders)
        #expect(options.stopsOnError)
        #expect(options.venue == .testnet)
        #expect(options.envFile == "/tmp/x.env")
    }

    @Test(arguments: [
        ([], LaunchOptions.Mode.serveSimulator(host: "127.0.0.1", port: 0)),
        (["127.0.0.1:8080"], .serveSimulator(host: "127.0.0.1", port: 8080)),
        ([":9000"], .serveSimulator(host: "127.0.0.1", port: 9000)),
        (["127.0.0.2"], .serveSimulator(host: "127.0.0.2", port: 0)),
    ] as [([String], LaunchOptions.Mode)])
    func serveSimulatorAddress(_ rest: [String], _ mode: LaunchOptions.Mode) throws {
        #expect(try LaunchOptions.parse(["--serve-sim"] + rest).mode == mode)
    }

    @Test func otherModes() throws {
        #expect(try LaunchOptions.parse(["--mcp"]).mode == .mcp)
        #expect(try LaunchOptions.parse(["--verify-audit"]).mode == .verifyAudit(path: nil))
        #expect(try LaunchOptions.parse(["--verify-audit", "/tmp/a.jsonl"]).mode == .verifyAudit(path: "/tmp/a.jsonl"))
        #expect(try LaunchOptions.parse(["-h"]).mode == .help)
        #expect(try LaunchOptions.parse(["--version"]).mode == .version)
    }

    @Test(arguments: [
        (["--bogus"], "Unknown option '--bogus'. Run binance-shell --help for the options."),
        (["stray"], "Unexpected argument 'stray': commands go after -c, as in binance-shell -c 'price BTCUSDT'."),
        (["-c"], "Option -c needs a value."),
        (["--venue", "moon"], "Invalid venue 'moon': expected sim, testnet or live."),
        (["--mcp", "--serve-sim"], "Options --mcp and --serve-sim cannot be combined: choose one."),
        (["--mcp", "-c", "price X"], "Option -c cannot be combined with --mcp."),
        (["--json=yes"], "Option --json takes no value, got 'yes'."),
        (["--serve-sim", "0.0.0.0:80"],
         "Invalid --serve-sim host '0.0.0.0': the simulator serves only on a loopback address such as 127.0.0.1."),
        (["--serve-sim", "example.com:80"],
         "Invalid --serve-sim host 'example.com': the simulator serves only on a loopback address such as 127.0.0.1."),
        (["--serve-sim", "localhost:8080"],
         "Invalid --serve-sim host 'localhost': write the loopback address as IPv4 digits, such as 127.0.0.1; "
            + "the simulator binds no host names or IPv6 addresses."),
        (["--serve-sim", "[::1]:7000"],
         "Invalid --serve-sim host '::1': write the loopback address as IPv4 digits, such as 127.0.0.1; "
            + "the simulator binds no host names or IPv6 addresses."),
        (["--serve-sim", "127.0.0.1:99999"], "Invalid port '99999' in --serve-sim: expected a number from 0 to 65535."),
    ])
    func rejectsWithExactMessage(_ arguments: [String], _ message: String) {
        #expect(throws: ShellError(message)) { try LaunchOptions.parse(arguments) }
    }

    @Test func usageListsEveryFlagAndVariable() {
        let usage = LaunchOptions.usage(version: "9.9")
        for flag in ["--mcp", "-c", "--json", "--yes", "--stop-on-error", "--venue", "--env-file", "--serve-sim",
                     "--verify-audit", "--help", "--version"] {
            #expect(usage.contains(flag))
        }
        for variable in Configuration.variables {
            #expect(usage.contains(variable.name))
        }
        #expect(usage.contains("(default: 5000)"))
    }
}
