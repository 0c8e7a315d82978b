import BinanceAPI
import Foundation
import MCP
import Shell
import Tools

let version = "0.1.0"
// Every file the process creates (paper account, history, audit log, state) is readable by the user alone.
umask(0o077)
let environment = ProcessInfo.processInfo.environment

let arguments = Array(CommandLine.arguments.dropFirst())
let options: LaunchOptions
do {
    options = try LaunchOptions.parse(arguments)
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

let unredactedLogger = StandardErrorLogger.make(environment: environment)
let configuration: Configuration
do {
    configuration = try loadConfiguration(options: options, environment: environment)
} catch {
    // A message quotes the invalid value, which may be a secret put in the wrong variable.
    let secrets = ["BINANCE_API_KEY", "BINANCE_API_SECRET"].compactMap { environment[$0] }.filter { !$0.isEmpty }
    fail("binance-shell: \(Redactor(secrets: secrets).redact(error.message))", status: 2)
}
// Every log line passes through the redactor, which knows the configured key and secret.
let logger = unredactedLogger.redacting(with: Redactor(configuration: configuration))

if case .verifyAudit(let path) = options.mode {
    let verification = SafetyStartup.verifyAudit(path: path ?? configuration.home)
    print(verification.report)
    exit(verification.status)
}

// Hardens the process, rejects secrets given as arguments, and loads and checks the credentials.
let preparation: SafetyStartup.Preparation
do {
    preparation = try SafetyStartup.prepare(arguments: arguments, configuration: configuration)
} catch {
    fail("binance-shell: \(error.message)", status: 2)
}

if case .serveSimulator(let host, let port) = options.mode {
    exit(await serveSimulator(host: host, port: port, configuration: configuration, logger: logger))
}

let wiring: Wiring
do {
    wiring = try Wiring.make(configuration: configuration, credentials: preparation.credentials, logger: logger)
} catch {
    fail("binance-shell: \(error.message)", status: 2)
}
await wiring.adoptExchangeLimits()

let origin: Origin = options.mode == .mcp ? .mcp : (options.commands != nil || isatty(0) != 1 ? .script : .shell)
// Orders an earlier run sent without recording their outcome are looked up first, so the start-up report
// below no longer lists the ones the exchange has settled.
for line in await reconcilePendingOrders(engine: wiring.engine, origin: origin) {
    FileHandle.standardError.write(Data(("binance-shell: " + line + "\n").utf8))
}
for warning in await SafetyStartup.start(engine: wiring.engine, preparation: preparation, origin: origin) {
    FileHandle.standardError.write(Data("binance-shell: warning: \(warning)\n".utf8))
}

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
if origin == .shell {
    exit(await ShellEntryPoint.runInteractive(launch))
}
exit(await ShellEntryPoint.runScript(launch, reader: PlainLineReader()))
