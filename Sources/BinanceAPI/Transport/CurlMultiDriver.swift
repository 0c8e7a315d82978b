import CCurl
import Foundation

/// One libcurl multi handle and the thread that runs its transfers.
///
/// Callers hand exchanges over under a lock and wake the thread with `curl_multi_wakeup`, the one multi-handle call
/// libcurl allows from other threads. The thread adds them, runs every transfer with `curl_multi_perform`, and
/// sleeps in `curl_multi_poll` until a socket is ready, a libcurl timer (such as a request's timeout) is due, or it
/// is woken. It resumes each exchange's continuation exactly once. Kept-alive connections stay in the multi handle's
/// cache, so reads reuse them.
final class CurlMultiDriver: @unchecked Sendable {
    private let library: CurlLibrary
    private let multi: UnsafeMutableRawPointer?

    // The lock protects the three properties below, and the `continuation` and `isCancelled` of every exchange.
    private let lock = NSLock()
    private var submitted: [CurlExchange] = []
    private var cancelled: [CurlExchange] = []
    private var isStopping = false

    /// Transfers in the multi handle. Only the driver thread reads or writes it.
    private var transfers = CurlTransferSet()

    /// Makes the multi handle and starts the thread. When libcurl cannot make the handle, every `submit` fails.
    init(library: CurlLibrary) {
        self.library = library
        multi = ccurl_multi_init(library.functions)
        guard multi != nil else { return }
        let thread = Thread { [self] in run() }
        thread.name = "curl-transport"
        thread.start()
    }

    /// Hands `exchange` to the driver thread, which resumes `continuation` with its outcome. An exchange cancelled
    /// before this call is not started and gets `.cancelled` at once.
    func submit(_ exchange: CurlExchange, continuation: CheckedContinuation<CurlExchange.Outcome, Never>) {
        guard let multi else {
            let reason = "\(exchange.label): libcurl could not make a multi handle."
            continuation.resume(returning: .failure(.notSent(reason)))
            return
        }
        let startsTransfer = lock.withLock {
            if exchange.isCancelled { return false }
            exchange.continuation = continuation
            submitted.append(exchange)
            return true
        }
        guard startsTransfer else {
            continuation.resume(returning: .failure(.cancelled))
            return
        }
        ccurl_multi_wakeup(library.functions, multi)
    }

    /// Stops the transfer of `exchange` and resumes it with `.cancelled`, unless it has already finished.
    func cancel(_ exchange: CurlExchange) {
        lock.withLock {
            exchange.isCancelled = true
            cancelled.append(exchange)
        }
        if let multi { ccurl_multi_wakeup(library.functions, multi) }
    }

    /// Ends the driver thread once its transfers have finished, and frees the multi handle.
    func stop() {
        lock.withLock { isStopping = true }
        if let multi { ccurl_multi_wakeup(library.functions, multi) }
    }

    // MARK: - Driver thread

    private func run() {
        guard let multi else { return }
        var stillRunning: Int32 = 0
        while true {
            let (added, removed, stopping) = lock.withLock {
                defer {
                    submitted.removeAll(keepingCapacity: true)
                    cancelled.removeAll(keepingCapacity: true)
                }
                return (submitted, cancelled, isStopping)
            }
            for exchange in added {
                if let failure = transfers.start(exchange, in: multi, library: library) {
                    resume(exchange, with: failure)
                }
            }
            for exchange in removed where transfers.remove(exchange, from: multi, library: library) {
                resume(exchange, with: .failure(.cancelled))
            }
            if stopping && transfers.isEmpty { break }

            ccurl_multi_perform(library.functions, multi, &stillRunning)
            for (exchange, outcome) in transfers.takeFinished(from: multi, library: library) {
                resume(exchange, with: outcome)
            }
            // The wait ends early when a socket is ready, a libcurl timer is due, or another thread calls wakeup.
            ccurl_multi_poll(library.functions, multi, 1000)
        }
        ccurl_multi_cleanup(library.functions, multi)
    }

    private func resume(_ exchange: CurlExchange, with outcome: CurlExchange.Outcome) {
        let continuation = lock.withLock {
            defer { exchange.continuation = nil }
            return exchange.continuation
        }
        continuation?.resume(returning: outcome)
    }
}
