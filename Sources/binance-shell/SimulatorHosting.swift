import BinanceAPI
import Foundation
import Simulator
import Tools

/// Serves the simulated exchange over HTTP on a loopback address until SIGINT, SIGTERM or the end of stdin.
/// Its one account uses the key and secret (or key file) that the client reads from the configuration.
/// - Returns: the exit status.
func serveSimulator(host: String, port: Int, configuration: Configuration, logger: Logger) async -> Int32 {
    // TODO: start SimulatorServer.start(exchange:host:port:) once the simulator publishes it.
    _ = (host, port, configuration, logger)
    FileHandle.standardError.write(Data("binance-shell: --serve-sim is not available in this build yet.\n".utf8))
    return 2
}
