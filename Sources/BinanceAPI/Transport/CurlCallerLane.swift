import CCurl
import Foundation

/// A libcurl multi handle that the calling thread drives itself, for one transfer at a time.
///
/// Handing a transfer to `CurlMultiDriver` costs two thread wake-ups: the caller wakes the driver thread, and the
/// driver thread wakes a worker to resume the caller. On a virtual machine a wake-up of an idle CPU can add tens
/// of microseconds (seen with `perf sched` on a 2-vCPU KVM guest). A lone request therefore runs here instead:
/// the caller's thread adds its easy handle, runs `curl_multi_perform` and sleeps in `curl_multi_poll` until the
/// transfer ends. The thread stays blocked for the whole exchange, so `CurlTransport` sends at most one request at
/// a time this way and gives the others to the driver thread.
///
/// `cancel` may come from any thread: it sets a flag and calls `curl_multi_wakeup`, the one multi-handle call
/// libcurl allows from other threads. The connection cache belongs to this multi handle, so reads sent here reuse
/// each other's kept-alive connections.
final class CurlCallerLane: @unchecked Sendable {
    private let library: CurlLibrary
    private let multi: UnsafeMutableRawPointer

    // The lock protects the three properties below.
    private let lock = NSLock()
    private var isBusy = false
    /// Set by `cancel` for the exchange in flight, and cleared when the next one starts.
    private var isCancelRequested = false
    /// The exchange in flight. Only `cancel` compares against it, and only under the lock.
    private var current: CurlExchange?

    /// Returns nil when libcurl cannot make a multi handle.
    init?(library: CurlLibrary) {
        guard let multi = ccurl_multi_init(library.functions) else { return nil }
        self.library = library
        self.multi = multi
    }

    deinit {
        ccurl_multi_cleanup(library.functions, multi)
    }

    /// Runs `exchange` on the calling thread and returns its outcome, or returns nil at once when another caller
    /// is using the lane. When the current task is already cancelled, nothing is sent and the outcome is
    /// `.cancelled`.
    func perform(_ exchange: CurlExchange) -> CurlExchange.Outcome? {
        let acquired = lock.withLock {
            guard !isBusy else { return false }
            isBusy = true
            isCancelRequested = false
            current = exchange
            return true
        }
        guard acquired else { return nil }
        defer {
            lock.withLock {
                isBusy = false
                current = nil
            }
        }
        // A cancellation that came before `current` was set did not reach `cancel`, but it marked the task.
        if Task.isCancelled { return .failure(.cancelled) }

        let added = ccurl_multi_add_handle(library.functions, multi, exchange.handle)
        guard added == CURLM_OK else {
            let reason = String(cString: ccurl_multi_strerror(library.functions, added))
            return .failure(.notSent("\(exchange.label): libcurl could not start the request (\(reason))."))
        }
        let outcome = run(exchange)
        ccurl_multi_remove_handle(library.functions, multi, exchange.handle)
        exchange.closeHandle()
        return outcome
    }

    /// Stops `exchange` when it is the one in flight here. The caller's thread then returns `.cancelled`.
    func cancel(_ exchange: CurlExchange) {
        let wakes = lock.withLock {
            guard current === exchange else { return false }
            isCancelRequested = true
            return true
        }
        if wakes { ccurl_multi_wakeup(library.functions, multi) }
    }

    /// Drives the multi handle until the transfer of `exchange` ends or is cancelled.
    private func run(_ exchange: CurlExchange) -> CurlExchange.Outcome {
        var stillRunning: Int32 = 0
        while true {
            if lock.withLock({ isCancelRequested }) { return .failure(.cancelled) }
            let performed = ccurl_multi_perform(library.functions, multi, &stillRunning)
            if let code = finishedResult() { return exchange.outcome(code) }
            guard performed == CURLM_OK else { return failure(performed, of: exchange) }
            // The wait ends early when a socket is ready, a libcurl timer (such as the request's timeout) is due,
            // or `cancel` calls wakeup.
            let polled = ccurl_multi_poll(library.functions, multi, 1000)
            guard polled == CURLM_OK else { return failure(polled, of: exchange) }
        }
    }

    /// Returns the result code of the finished transfer, or nil while it runs.
    private func finishedResult() -> CURLcode? {
        var queued: Int32 = 0
        while let message = ccurl_multi_info_read(library.functions, multi, &queued) {
            if message.pointee.msg == CURLMSG_DONE { return message.pointee.data.result }
        }
        return nil
    }

    /// Builds the outcome of a multi-handle failure mid-transfer. Some request bytes may have gone out, so the
    /// outcome is unknown.
    private func failure(_ code: CURLMcode, of exchange: CurlExchange) -> CurlExchange.Outcome {
        let reason = String(cString: ccurl_multi_strerror(library.functions, code))
        return .failure(.outcomeUnknown("\(exchange.label): libcurl failed while sending the request (\(reason))."))
    }
}
