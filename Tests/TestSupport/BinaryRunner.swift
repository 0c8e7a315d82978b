import Foundation

/// Runs the built `binance-shell` executable in a child process for end-to-end tests.
package enum BinaryRunner {
    /// The output of a finished run.
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        /// True when the process was killed because it ran past its time limit.
        package var timedOut: Bool
    }

    package enum Failure: Error, CustomStringConvertible {
        case binaryNotFound([String])

        package var description: String {
            switch self {
            case .binaryNotFound(let tried):
                return "binance-shell executable not found (tried \(tried.joined(separator: ", "))); run 'swift build' first"
            }
        }
    }

    /// Root of the package (the folder holding Package.swift).
    package static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Path of the executable: `BINANCE_SHELL_BINARY`, else next to the test bundle, else `.build/debug`.
    package static func binaryPath() throws -> String {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["BINANCE_SHELL_BINARY"] { candidates.append(explicit) }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("binance-shell").path)
            directory.deleteLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/binance-shell").path)
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return path
            }
        }
        throw Failure.binaryNotFound(candidates)
    }

    /// The environment for a child: no proxies, no inherited Binance or MCP settings, a fresh home.
    package static func cleanEnvironment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("BINANCE_") && !key.hasPrefix("MCP_") && !key.lowercased().hasSuffix("_proxy")
        }
        environment["no_proxy"] = "127.0.0.1,localhost"
        environment["BINANCE_SHELL_HOME"] = home
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Makes a fresh temporary directory for one test's `BINANCE_SHELL_HOME`.
    package static func temporaryHome() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bsh-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryHome.register(url.path)
        return url.path
    }

    /// Runs the executable with `arguments`, writes `input` to its stdin and closes it, and waits at most `timeout`.
    package static func run(
        _ arguments: [String],
        input: String = "",
        environment: [String: String],
        workingDirectory: String? = nil,
        timeout: Duration = .seconds(60)
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        process.arguments = arguments
        process.environment = environment
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }

        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()

        let collected = OutputCollector()
        let group = DispatchGroup()
        for (pipe, isStdout) in [(stdoutPipe, true), (stderrPipe, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.store(data, isStdout: isStdout)
                group.leave()
            }
        }
        stdinPipe.fileHandleForWriting.write(Data(input.utf8))
        try? stdinPipe.fileHandleForWriting.close()

        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let finished = group.wait(timeout: .now() + seconds) == .success
        if !finished {
            process.terminate()
            _ = group.wait(timeout: .now() + 5)
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: collected.text(isStdout: true),
            stderr: collected.text(isStdout: false),
            timedOut: !finished
        )
    }
}

/// Collects the bytes of both output pipes from the reader threads.
private final class OutputCollector: @unchecked Sendable {
    // The lock protects both buffers, which two reader threads write.
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()

    func store(_ data: Data, isStdout: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if isStdout { stdout = data } else { stderr = data }
    }

    func text(isStdout: Bool) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: isStdout ? stdout : stderr, as: UTF8.self)
    }
}
