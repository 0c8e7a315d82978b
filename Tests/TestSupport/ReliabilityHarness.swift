import BinanceAPI
import Foundation
import Simulator
import Tools

/// Canary credentials and helpers for running the built binary against a `ReliabilityServer`.
package enum ReliabilityHarness {
    /// A key and secret used nowhere else, shaped like Binance's (64 letters and digits), so any copy of
    /// them in an output is a leak.
    package static let canaryKey = "rlCanaryKeyQ7w3Zp9Lm2Xv8Tn4Hs6Jd1Fk5Gb0Yc7Ue3Ri9Ow2Pa8Sx4Mz6Nq1V"
    package static let canarySecret = "rlCanarySecretB5n8Kd2Wq7Lp4Zx9Hv3Tm6Jc1Ys0Fg8Ra5Ue2Io7Pk4Nb9Qw3X"

    /// The forms in which a secret could leak: raw, hex (lower and upper case), base64 (standard and URL-safe),
    /// percent-encoded, and its first and last 16 characters.
    package static func leakForms(of secret: String) -> [String] {
        let bytes = Array(secret.utf8)
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let base64 = Data(bytes).base64EncodedString()
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let percent = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
        var forms = [secret, hex, hex.uppercased(), base64, urlSafe, percent, String(secret.prefix(16)), String(secret.suffix(16))]
        // The base64 text without padding, as a leak inside a longer encoded blob would show it.
        forms.append(String(base64.prefix(40)))
        return forms
    }

    /// The environment for a binary that talks to `server` with the canary credentials.
    package static func environment(server: ReliabilityServer, home: String, extra: [String: String] = [:])
        -> [String: String]
    {
        var values = [
            "BINANCE_BASE_URL": server.url,
            "BINANCE_API_KEY": canaryKey,
            "BINANCE_API_SECRET": canarySecret,
            "MCP_LOG_SECURITY": "true",
        ]
        for (key, value) in extra { values[key] = value }
        return BinaryRunner.cleanEnvironment(home: home, extra: values)
    }

    /// A simulated exchange whose account is signed with the canary credentials.
    package static func canaryExchange(
        rateLimits: SimulatorRateLimits = .binance,
        faults: SimulatorFaultPlan = .none
    ) throws -> SimulatedExchange {
        try ReliabilityServer.makeExchange(
            apiKey: canaryKey,
            secret: canarySecret,
            rateLimits: rateLimits,
            faults: faults
        )
    }

    /// Polls `condition` every 20 ms until it is true or `timeout` passes, and returns whether it became true. Tests wait on a
    /// condition with a generous deadline instead of sleeping a fixed time, so a loaded machine only makes them slower.
    package static func waitUntil(timeout: Duration, _ condition: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Runs blocking work on a thread of its own, so it never holds one of the few threads of Swift's
    /// cooperative pool, which the in-test exchange server needs to answer the binary.
    package static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Runs the binary like `BinaryRunner.run`, off the cooperative pool and at most four at a time, so
    /// parallel tests do not starve each other's exchange of CPU.
    ///
    /// The default deadline only catches a hung binary. It is generous because a run with a dropped connection
    /// waits out the client's 10 s request timeout at least once, and a loaded machine multiplies everything.
    package static func runBinary(
        _ arguments: [String],
        input: String,
        environment: [String: String],
        workingDirectory: String? = nil,
        timeout: Duration = .seconds(180)
    ) async throws -> BinaryRunner.Output {
        await binaryGate.enter()
        defer { Task { await binaryGate.leave() } }
        return try await offPool {
            try BinaryRunner.run(
                arguments,
                input: input,
                environment: environment,
                workingDirectory: workingDirectory,
                timeout: timeout
            )
        }
    }

    private static let binaryGate = ConcurrencyGate(limit: 4)

    /// Runs the binary with `input` on stdin (left open), waits until stdout has `lines` lines, then sends
    /// `signal`, waits for Swift's crash report on stderr and ends the process: a crash in the middle of work.
    /// Deadlines of 60 s each only end a failing run.
    /// - Returns: the output, with `status` the number of the signal that ended the process.
    package static func runAndSignal(
        _ arguments: [String],
        input: String,
        environment: [String: String],
        signal: Int32,
        afterLines lines: Int
    ) async throws -> BinaryRunner.Output {
        await binaryGate.enter()
        defer { Task { await binaryGate.leave() } }
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try BinaryRunner.binaryPath())
            process.arguments = arguments
            process.environment = environment
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let collected = StreamCollector()
            collected.drain(stdout.fileHandleForReading, isStdout: true)
            collected.drain(stderr.fileHandleForReading, isStdout: false)
            stdin.fileHandleForWriting.write(Data(input.utf8))

            let pid = process.processIdentifier
            var exitStatus: Int32 = 0
            // The child is reaped here with waitpid, because Foundation's Process did not notice children that a
            // signal ended after Swift's crash handler had run (they stayed zombies and `isRunning` stayed true).
            var reapedByFoundation = false
            func reaped() -> Bool {
                let result = waitpid(pid, &exitStatus, WNOHANG)
                if result == -1, errno == ECHILD { reapedByFoundation = true }
                return result == pid || reapedByFoundation
            }
            let deadline = Date().addingTimeInterval(60)
            var ended = false
            while collected.stdoutLineCount < lines, !ended, Date() < deadline {
                ended = reaped()
                Thread.sleep(forTimeInterval: 0.02)
            }
            // Swift's crash handler prints its report and returns, and a signal sent with kill (not a real fault)
            // does not recur by itself, so once the report is out SIGKILL ends the process.
            if !ended { kill(pid, signal) }
            let reported = Date().addingTimeInterval(60)
            while !ended, !collected.stderrContains("Program crashed"), Date() < reported {
                ended = reaped()
                Thread.sleep(forTimeInterval: 0.02)
            }
            let finished = Date().addingTimeInterval(60)
            while !ended, !collected.stderrContains("Backtrace took"), Date() < finished {
                ended = reaped()
                Thread.sleep(forTimeInterval: 0.02)
            }
            if !ended { kill(pid, SIGKILL) }
            let killed = Date().addingTimeInterval(60)
            while !ended, Date() < killed {
                ended = reaped()
                Thread.sleep(forTimeInterval: 0.02)
            }
            try? stdin.fileHandleForWriting.close()
            // A signal's number, as Foundation reports it for a process a signal ended; else the exit code.
            let signalNumber = exitStatus & 0x7F
            var status = signalNumber != 0 ? signalNumber : (exitStatus >> 8) & 0xFF
            if reapedByFoundation {
                process.waitUntilExit()
                status = process.terminationStatus
            }
            let (out, err) = collected.finish()
            return BinaryRunner.Output(status: status, stdout: out, stderr: err, timedOut: !ended)
        }
    }

    /// Runs `commands` (one per line) in script mode with `--json`, and parses each stdout line.
    package static func runScript(
        _ commands: [String],
        server: ReliabilityServer,
        home: String,
        extra: [String: String] = [:],
        timeout: Duration = .seconds(180)
    ) async throws -> ScriptRun {
        let output = try await runBinary(
            ["--json"],
            input: commands.joined(separator: "\n") + "\n",
            environment: environment(server: server, home: home, extra: extra),
            timeout: timeout
        )
        let results = output.stdout.split(separator: "\n").map { line in
            (try? JSONValue.parse(Data(line.utf8))) ?? .string(String(line))
        }
        return ScriptRun(output: output, results: results)
    }

    /// Every file under `directory`, with its contents and permission bits.
    package static func files(under directory: String) -> [(path: String, contents: Data, mode: Int)] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [(String, Data, Int)] = []
        for case let relative as String in enumerator {
            let path = directory + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? -1
            found.append((path, FileManager.default.contents(atPath: path) ?? Data(), mode))
        }
        return found
    }
}

/// Collects a child's stdout and stderr on reader threads while it runs.
private final class StreamCollector: @unchecked Sendable {
    // The lock protects the buffers and the count of finished readers.
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()
    private var finished = 0

    var stdoutLineCount: Int { lock.withLock { stdout.filter { $0 == UInt8(ascii: "\n") }.count } }

    func stderrContains(_ text: String) -> Bool {
        lock.withLock { String(decoding: stderr, as: UTF8.self).contains(text) }
    }

    func drain(_ handle: FileHandle, isStdout: Bool) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                lock.withLock {
                    if isStdout { stdout.append(chunk) } else { stderr.append(chunk) }
                    if chunk.isEmpty { finished += 1 }
                }
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// Waits up to 60 s for both readers to reach end of file, and returns what they read.
    func finish() -> (String, String) {
        let deadline = Date().addingTimeInterval(60)
        while lock.withLock({ finished }) < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return lock.withLock { (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)) }
    }
}

/// Admits at most `limit` holders at a time; the others wait in arrival order.
actor ConcurrencyGate {
    private let limit: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if holders < limit {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The output of one script run, with each stdout line parsed as JSON (or kept as a string when it is not).
package struct ScriptRun: Sendable {
    package var output: BinaryRunner.Output
    package var results: [JSONValue]

    /// The result of the command on line `line` (counted from 1), or null when there is none.
    package func result(_ line: Int) -> JSONValue {
        results.indices.contains(line - 1) ? results[line - 1] : .null
    }
}

extension JSONValue {
    /// `success` of a tool result.
    package var isSuccess: Bool { self["success"]?.boolValue == true }
    /// `error.type` of a failed tool result.
    package var errorType: String? { self["error"]?["type"]?.stringValue }
    /// `error.code` of a failed tool result.
    package var errorCode: Int? {
        self["error"]?["code"]?.decimalValue.map { NSDecimalNumber(decimal: $0).intValue }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
