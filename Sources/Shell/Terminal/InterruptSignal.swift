@preconcurrency import Glibc

/// Set by the SIGINT handler; read and cleared by the shell. A C signal handler can only reach globals.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0
/// The thread blocked in `readline`, and whether one is; the handler forwards SIGINT to it.
nonisolated(unsafe) private var readerThread = pthread_t()
nonisolated(unsafe) private var isReaderActive: sig_atomic_t = 0

/// Ctrl-C handling for the interactive shell.
///
/// The handler is installed without `SA_RESTART`, so a blocking `read` inside libedit returns with `EINTR` and
/// `readline` returns NULL; the shell then abandons the line instead of the process dying. The kernel may
/// deliver the signal to any thread, so the handler forwards it to the thread that is reading a line.
package struct InterruptSignal: InterruptSource {
    package init() {}

    /// Installs the SIGINT handler that only sets a flag.
    package static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interruptFlag = 1
            if isReaderActive != 0, pthread_equal(pthread_self(), readerThread) == 0 {
                pthread_kill(readerThread, SIGINT)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Marks the calling thread as the one blocked in `readline` until `endReading()`, and lets it receive
    /// SIGINT: threads started from the cooperative pool inherit a mask that blocks it.
    static func beginReading() {
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
        readerThread = pthread_self()
        isReaderActive = 1
    }

    static func endReading() {
        isReaderActive = 0
    }

    /// Sends SIGINT to the reading thread again while an interrupt is pending and the thread is still reading.
    ///
    /// A Ctrl-C that arrives while libedit runs its own code, before it blocks in `read`, interrupts no system
    /// call, so `readline` would go on waiting for a key. Repeating the signal reaches the `read` that follows.
    static func repeatPendingInterrupt() {
        guard interruptFlag != 0, isReaderActive != 0 else { return }
        pthread_kill(readerThread, SIGINT)
    }

    package func consumeInterrupt() -> Bool {
        guard interruptFlag != 0 else { return false }
        interruptFlag = 0
        return true
    }
}
