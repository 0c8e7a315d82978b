import BinanceAPI
import Foundation
import Simulator
import Tools

/// Serves the simulated exchange over HTTP on a loopback address until SIGINT, SIGTERM or the end of stdin.
///
/// Its one account uses the key and secret (or private-key file) that the client reads from the configuration, or the built-in paper
/// key when none is set. The paper account lives in `simulator.sqlite` under `BINANCE_SHELL_HOME`, and a fault
/// plan is read from `BINANCE_SIM_FAULTS`. The first line on stdout is the server's base URL.
/// - Returns: the exit status.
func serveSimulator(host: String, port: Int, configuration: Configuration, logger: Logger) async -> Int32 {
    let faults: SimulatorFaultPlan
    do {
        faults = try SimulatorFaultPlan.fromEnvironment() ?? .none
    } catch {
        return report("binance-shell: \(error)")
    }
    do {
        try FileManager.default.createDirectory(
            atPath: configuration.home,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    } catch {
        return report("binance-shell: cannot create BINANCE_SHELL_HOME '\(configuration.home)'.")
    }
    let rateLimits: SimulatorRateLimits
    do {
        rateLimits = try SimulatorRateLimits.fromEnvironment()
    } catch {
        return report("binance-shell: \(error)")
    }
    let clock: SimulatorClock
    do {
        clock = try SimulatorClock.fromEnvironment() ?? SimulatorClock()
    } catch {
        return report("binance-shell: \(error)")
    }
    var options = SimulatorOptions(
        databasePath: configuration.home + "/simulator.sqlite",
        clock: clock,
        rateLimits: rateLimits,
        faults: faults
    )
    if let key = configuration.apiKey, let secret = configuration.apiSecret {
        options.apiKey = key
        options.credential = .hmac(secret: Secret(secret))
    } else if let key = configuration.apiKey, let keyFile = configuration.privateKeyFile {
        guard let pem = FileManager.default.contents(atPath: keyFile) else {
            return report("binance-shell: cannot read BINANCE_PRIVATE_KEY_FILE '\(keyFile)'.")
        }
        options.apiKey = key
        options.credential = .publicKeyPEM(Secret(bytes: Array(pem)))
    }
    let server: SimulatorServer
    do {
        let exchange = try SimulatedExchange(options: options)
        server = try SimulatorServer.start(exchange: exchange, host: host, port: UInt16(clamping: port))
    } catch {
        return report("binance-shell: cannot start the simulator: \(error)")
    }
    FileHandle.standardOutput.write(Data((server.url + "\n").utf8))
    logger.info("Simulator serving", ["http.url": server.url])

    // SIGINT and SIGTERM keep their default action (end the process). When stdin is a pipe or socket, as for a
    // parent process that drives the server, its end stops the server. A terminal or /dev/null (a job started
    // with `&`) is not watched, so the server runs until a signal.
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let thread = Thread {
            guard stdinIsPipeOrSocket() else {
                while true { sleep(3600) }
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
            continuation.resume()
        }
        thread.name = "simulator-stdin"
        thread.start()
    }
    server.stop()
    return 0
}

/// Returns true when stdin is a pipe or a socket, whose end means the parent process is gone.
private func stdinIsPipeOrSocket() -> Bool {
    var status = stat()
    guard fstat(STDIN_FILENO, &status) == 0 else { return false }
    let kind = status.st_mode & S_IFMT
    return kind == S_IFIFO || kind == S_IFSOCK
}

private func report(_ message: String) -> Int32 {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return 2
}
