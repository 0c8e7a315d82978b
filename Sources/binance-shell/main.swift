import BinanceAPI
import Foundation
import MCP
import Shell
import Tools

let version = "0.1.0"
let environment = ProcessInfo.processInfo.environment

let options: LaunchOptions
do {
    options = try LaunchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("binance-shell: \(error.message)", status: 2)
}

switch options.mode {
case .help:
    print(LaunchOptions.usage(version: version))
    exit(0)
case .version:
    print("binance-shell \(version)")
    exit(0)
default:
    break
}

let logger = StandardErrorLogger.make(environment: environment)
let configuration: Configuration
do {
    configuration = try loadConfiguration(options: options, environment: environment)
} catch {
    fail("binance-shell: \(error.message)", status: 2)
}

switch options.mode {
case .serveSimulator(let host, let port):
    exit(await serveSimulator(host: host, port: port, configuration: configuration, logger: logger))
case .verifyAudit:
    // TODO: call the audit log verifier once the safety layer provides one.
    fail("binance-shell: --verify-audit is not available in this build yet.", status: 2)
default:
    break
}

let wiring: Wiring
do {
    wiring = try Wiring.make(configuration: configuration, logger: logger)
} catch {
    fail("binance-shell: \(error.message)", status: 2)
}
await wiring.adoptExchangeLimits()

if options.mode == .mcp {
    exit(await MCPEntryPoint.run(engine: wiring.engine, logger: logger))
}

let launch = ShellLaunch(
    engine: wiring.engine,
    format: options.format,
    confirmsOrders: options.confirmsOrders,
    stopsOnError: options.stopsOnError,
    hooks: wiring.hooks,
    home: configuration.home,
    version: version,
    environment: environment
)
if let commands = options.commands {
    let lines = commands.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    exit(await ShellEntryPoint.runScript(launch, reader: ListLineReader(lines: lines)))
}
if isatty(0) == 1 {
    exit(await ShellEntryPoint.runInteractive(launch))
}
exit(await ShellEntryPoint.runScript(launch, reader: PlainLineReader()))
