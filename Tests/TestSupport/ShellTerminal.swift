import Foundation

/// Drives the built `binance-shell` in a tmux pane, as a person at a terminal would: keys in, screen out.
///
/// Each instance runs its own tmux server on a unique socket (`tmux -L`), so tests never share or touch another
/// tmux session; `close()` kills that server.
package final class ShellTerminal {
    package enum Failure: Error, CustomStringConvertible {
        case tmuxFailed(arguments: [String], status: Int32, output: String)
        case timedOut(waitingFor: String, screen: String)

        package var description: String {
            switch self {
            case .tmuxFailed(let arguments, let status, let output):
                return "tmux \(arguments.joined(separator: " ")) exited with \(status): \(output)"
            case .timedOut(let text, let screen):
                return "Timed out waiting for '\(text)'. Screen:\n\(screen)"
            }
        }
    }

    private let socket = "bsh-test-\(UUID().uuidString.prefix(8))"
    private var isClosed = false

    /// Starts the shell in a new pane, 120x40 unless given. When the shell exits, the pane prints `EXITED:<status>`.
    /// `extra` adds or replaces variables; `NO_COLOR` is set unless `extra` sets it (empty turns colour on).
    package init(
        home: String,
        arguments: [String] = [],
        environment extra: [String: String] = [:],
        columns: Int = 120,
        rows: Int = 40
    ) throws {
        let binary = try BinaryRunner.binaryPath()
        var environment = [
            "BINANCE_SHELL_HOME": home, "NO_COLOR": "1", "no_proxy": "127.0.0.1,localhost", "TERM": "xterm",
            "HOME": home, "MCP_LOG_SECURITY": "false",
        ]
        for (key, value) in extra { environment[key] = value }
        let assignments = environment.keys.sorted().map { "\($0)=\(Self.shellQuoted(environment[$0]!))" }
        let command = (["env", "-i", "PATH=/usr/bin:/bin"] + assignments + [Self.shellQuoted(binary)]
            + arguments.map(Self.shellQuoted)).joined(separator: " ")
        try tmux(["new-session", "-d", "-x", String(columns), "-y", String(rows), "-s", "main",
                  "sh -c \(Self.shellQuoted(command + "; echo EXITED:$?; sleep 30"))"], startsServer: true)
    }

    deinit { close() }

    /// Types text literally, without pressing Enter.
    package func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }

    /// Presses keys by tmux name: `Enter`, `Tab`, `Up`, `C-c`, `C-d`.
    package func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }

    /// The visible screen. tmux drops trailing spaces, so a prompt `sim> ` shows as `sim>` at the end of a line.
    /// - Parameter withEscapes: keeps colour sequences (`capture-pane -e`).
    package func screen(withEscapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (withEscapes ? ["-e"] : []) + ["-t", "main"])
    }

    /// Waits until the screen contains `text` (at least `count` times); throws with the screen on timeout.
    ///
    /// The deadline is generous because a loaded machine may take many seconds to start the debug binary;
    /// the wait ends as soon as the text appears, so a fast machine does not pay for it.
    @discardableResult
    package func waitFor(_ text: String, count: Int = 1, timeout: Duration = .seconds(90)) throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if Self.occurrences(of: text, in: last) >= count { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timedOut(waitingFor: text, screen: last)
    }

    /// Returns how many times `text` occurs on `screen`.
    package static func occurrences(of text: String, in screen: String) -> Int {
        screen.components(separatedBy: text).count - 1
    }

    /// Waits until the last line on the screen is the empty prompt `prompt` (such as `sim>`): the shell is
    /// ready for the next line. Returns the screen.
    @discardableResult
    package func waitForPrompt(_ prompt: String, timeout: Duration = .seconds(90)) throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            let lines = last.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            if lines.last(where: { !$0.isEmpty }) == prompt { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timedOut(waitingFor: "the prompt '\(prompt)' on the last line", screen: last)
    }

    /// Types a command and presses Enter once the empty prompt is on the last line, so the keys reach the line
    /// editor and not the terminal's buffer between two prompts.
    package func run(_ command: String, prompt: String) throws {
        try waitForPrompt(prompt)
        try type(command)
        try press("Enter")
    }

    /// Kills this instance's tmux server.
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = try? tmux(["kill-server"])
        let socketPath = "/tmp/tmux-\(getuid())/\(socket)"
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    @discardableResult
    /// Runs one tmux command and returns its output.
    private func tmux(_ arguments: [String], startsServer: Bool = false) throws -> String {
        let command = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        if startsServer {
            let status = try Self.spawnWithCleanState(command)
            guard status == 0 else { throw Failure.tmuxFailed(arguments: arguments, status: status, output: "") }
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure.tmuxFailed(arguments: arguments, status: process.terminationStatus, output: output)
        }
        return output
    }

    /// Runs a command that starts a daemon (the tmux server) and waits for the command itself to exit.
    ///
    /// `Process` cannot be used here for two reasons: the daemon inherits the test process's blocked signals
    /// (so `kill-server` and SIGHUP would not end it or its panes), and it inherits descriptors that make
    /// `waitUntilExit` wait for the daemon. This spawn gives the child an empty signal mask, default signal
    /// handlers, `/dev/null` as standard streams, and no other descriptors (bash closes them before running tmux).
    private static func spawnWithCleanState(_ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in Int32(0)...2 {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // bash closes every descriptor above 2, then becomes the command.
        let closer = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; "#
            + #"done; exec "$@""#
        let argv = (["/bin/bash", "-c", closer, "bash"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure.tmuxFailed(arguments: arguments, status: result, output: "spawn failed") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
