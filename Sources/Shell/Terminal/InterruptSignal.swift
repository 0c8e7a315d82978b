@preconcurrency import Glibc

/// Set by the SIGINT handler; read and cleared by the shell. A C signal handler can only reach globals.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0

/// Ctrl-C handling for the interactive shell.
///
/// The handler is installed without `SA_RESTART`, so a blocking `read` inside libedit returns with `EINTR` and
/// `readline` returns NULL; the shell then abandons the line instead of the process dying.
package struct InterruptSignal: InterruptSource {
    package init() {}

    /// Installs the SIGINT handler that only sets a flag.
    package static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptFlag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    package func consumeInterrupt() -> Bool {
        guard interruptFlag != 0 else { return false }
        interruptFlag = 0
        return true
    }
}
