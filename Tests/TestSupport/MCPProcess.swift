import Foundation

/// A running `binance-shell --mcp` child for end-to-end tests that talk to it line by line.
package final class MCPProcess: @unchecked Sendable {
    package enum Failure: Error, CustomStringConvertible {
        case noLine(after: Duration, stderr: String)

        package var description: String {
            switch self {
            case .noLine(let timeout, let stderr):
                return "no line on stdout within \(timeout); stderr: \(stderr.suffix(2000))"
            }
        }
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    // The condition's lock protects `stdoutBuffer`, `stderrBuffer` and `isStdoutClosed`, which reader threads write.
    private let condition = NSCondition()
    private var stdoutBuffer = Data()
    private var stderrBuffer = Data()
    private var isStdoutClosed = false

    /// Starts the executable with `arguments` and `environment`.
    package init(arguments: [String] = ["--mcp"], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: try BinaryRunner.binaryPath())
        process.arguments = arguments
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        startReader(output.fileHandleForReading, isStdout: true)
        startReader(errors.fileHandleForReading, isStdout: false)
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Writes one line (a newline is added).
    package func send(_ line: String) {
        send(bytes: Data((line + "\n").utf8))
    }

    /// Writes raw bytes as they are.
    package func send(bytes: Data) {
        input.fileHandleForWriting.write(bytes)
    }

    /// Closes the child's stdin, which is end of input for the server.
    package func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Sends SIGTERM.
    package func terminate() {
        process.terminate()
    }

    /// Returns the next stdout line, waiting up to `timeout`; nil at end of output.
    package func readLine(timeout: Duration = .seconds(120)) throws -> String? {
        let deadline = Date().addingTimeInterval(Self.seconds(timeout))
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = stdoutBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: stdoutBuffer[stdoutBuffer.startIndex..<newline], as: UTF8.self)
                stdoutBuffer.removeSubrange(stdoutBuffer.startIndex...newline)
                return line
            }
            if isStdoutClosed { return nil }
            if !condition.wait(until: deadline) {
                throw Failure.noLine(after: timeout, stderr: String(decoding: stderrBuffer, as: UTF8.self))
            }
        }
    }

    /// Waits for the child to exit and returns its status; nil if it is still running after `timeout`.
    package func waitForExit(timeout: Duration = .seconds(30)) -> Int32? {
        let deadline = Date().addingTimeInterval(Self.seconds(timeout))
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning { return nil }
        return process.terminationStatus
    }

    /// Everything the child wrote to stderr so far.
    package var stderr: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stderrBuffer, as: UTF8.self)
    }

    private func startReader(_ handle: FileHandle, isStdout: Bool) {
        let thread = Thread { [weak self] in
            while true {
                let chunk = handle.availableData
                guard let self else { return }
                self.condition.lock()
                if chunk.isEmpty {
                    if isStdout { self.isStdoutClosed = true }
                    self.condition.broadcast()
                    self.condition.unlock()
                    return
                }
                if isStdout { self.stdoutBuffer.append(chunk) } else { self.stderrBuffer.append(chunk) }
                self.condition.broadcast()
                self.condition.unlock()
            }
        }
        thread.start()
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
