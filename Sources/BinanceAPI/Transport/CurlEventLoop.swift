import CCurl
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A thread that runs Swift jobs, reads one input descriptor and drives libcurl transfers, so a request that
/// arrives on the input, goes out over HTTP and gets its reply written needs no hand-off between threads.
///
/// The loop is a `TaskExecutor`: a task that prefers it runs its nonisolated code, and the default actors it
/// enters, on the loop's thread. A `CurlTransport` called on that thread adds its transfer to the loop's multi
/// handle and suspends. The thread keeps running other jobs and reading input while requests are in flight, and
/// each reply resumes its task on the same thread. Jobs must not block: a blocked job delays every other job, the
/// input and the transfers of the loop.
///
/// The thread sleeps in `poll` on the input and an eventfd that other threads write to wake it, and in
/// `curl_multi_poll` on the same descriptors and the transfers' sockets while a transfer runs. libcurl is touched
/// only once the first transfer comes, so a loop that never sends a request never loads it.
package final class CurlEventLoop: TaskExecutor, @unchecked Sendable {
    /// Receives each chunk read from the input, on the loop's thread, and nil once at end of input or on a read
    /// error.
    package typealias InputHandler = @Sendable (UnsafeRawBufferPointer?) -> Void

    /// An eventfd that other threads write to end the loop's wait.
    private let wakeDescriptor: Int32

    // The lock protects the six properties below, and the `continuation` and `isCancelled` of every exchange
    // submitted here.
    private let lock = NSLock()
    private var jobs: [UnownedJob] = []
    private var submitted: [(exchange: CurlExchange, library: CurlLibrary)] = []
    private var cancelled: [CurlExchange] = []
    private var input: (descriptor: Int32, handler: InputHandler)?
    /// True while the loop waits, or is about to wait, so that work handed over must write the eventfd.
    private var isWaiting = false
    private var isStopping = false

    // Only the loop's thread reads or writes these.
    private var library: CurlLibrary?
    private var multi: UnsafeMutableRawPointer?
    private var transfers = CurlTransferSet()

    /// Starts the loop's thread, named `name`. It runs until `stop()`.
    package init(name: String) {
        wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// The loop whose thread is running the caller, or nil on any other thread.
    package static var current: CurlEventLoop? {
        guard let pointer = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<CurlEventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    // MARK: - Work from other threads

    package func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let wakes = lock.withLock {
            jobs.append(unownedJob)
            return takeWaiting()
        }
        if wakes { wake() }
    }

    /// Reads `descriptor` on the loop's thread from now on, and hands every chunk to `handler`. Reading stops at
    /// end of input, on a read error, or at `stopReading()`.
    package func startReading(_ descriptor: Int32, handler: @escaping InputHandler) {
        let wakes = lock.withLock {
            input = (descriptor, handler)
            return takeWaiting()
        }
        if wakes { wake() }
    }

    /// Stops reading the input. The handler is not called again, not even with nil.
    package func stopReading() {
        let wakes = lock.withLock {
            input = nil
            return takeWaiting()
        }
        if wakes { wake() }
    }

    /// Ends the thread once its jobs have run and its transfers have finished, and frees the multi handle. Jobs
    /// enqueued after that never run, so no task may prefer the loop once it is stopped.
    package func stop() {
        let wakes = lock.withLock {
            isStopping = true
            return takeWaiting()
        }
        if wakes { wake() }
    }

    /// Hands `exchange` to the loop, which resumes `continuation` with its outcome on the loop's thread. An
    /// exchange cancelled before this call is not started and gets `.cancelled` at once.
    func submit(
        _ exchange: CurlExchange,
        library: CurlLibrary,
        continuation: CheckedContinuation<CurlExchange.Outcome, Never>
    ) {
        let (starts, wakes) = lock.withLock {
            if exchange.isCancelled { return (false, false) }
            exchange.continuation = continuation
            submitted.append((exchange, library))
            return (true, takeWaiting())
        }
        guard starts else {
            continuation.resume(returning: .failure(.cancelled))
            return
        }
        if wakes { wake() }
    }

    /// Stops the transfer of `exchange` and resumes it with `.cancelled`, unless it has already finished.
    func cancel(_ exchange: CurlExchange) {
        let wakes = lock.withLock {
            exchange.isCancelled = true
            cancelled.append(exchange)
            return takeWaiting()
        }
        if wakes { wake() }
    }

    /// Clears `isWaiting` and returns whether it was set. The caller holds the lock.
    private func takeWaiting() -> Bool {
        defer { isWaiting = false }
        return isWaiting
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: - The loop's thread

    /// The loop's next step after running its jobs and transfers.
    private enum NextStep {
        case runAgain
        case stop
        case wait(input: (descriptor: Int32, handler: InputHandler)?)
    }

    private func run() {
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var batch: [UnownedJob] = []
        loop: while true {
            runJobs(&batch)
            driveTransfers()
            let step = lock.withLock { () -> NextStep in
                // Work that arrived since the jobs ran is done before any wait.
                if !jobs.isEmpty || !submitted.isEmpty || !cancelled.isEmpty { return .runAgain }
                if isStopping, transfers.isEmpty { return .stop }
                isWaiting = true
                return .wait(input: input)
            }
            switch step {
            case .runAgain:
                continue loop
            case .stop:
                break loop
            case .wait(let input):
                let inputIsReady = wait(reading: input?.descriptor)
                lock.withLock { isWaiting = false }
                if let input, inputIsReady {
                    readInput(input.descriptor, handler: input.handler, into: &buffer)
                }
            }
        }
        if let library, let multi { ccurl_multi_cleanup(library.functions, multi) }
        close(wakeDescriptor)
    }

    private func runJobs(_ batch: inout [UnownedJob]) {
        while true {
            lock.withLock { swap(&batch, &jobs) }
            if batch.isEmpty { return }
            for job in batch {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Waits for the input, a wake-up or, while transfers run, their sockets and timers. Returns whether the input
    /// is ready to read (data, end of input or an error).
    private func wait(reading descriptor: Int32?) -> Bool {
        guard let library, let multi, !transfers.isEmpty else {
            var descriptors = [pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            if let descriptor { descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&descriptors, nfds_t(descriptors.count), -1)
            if descriptors[0].revents != 0 { drainWakeDescriptor() }
            return descriptors.count > 1 && descriptors[1].revents != 0
        }
        var extra = [curl_waitfd(fd: wakeDescriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)]
        if let descriptor { extra.append(curl_waitfd(fd: descriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)) }
        // The wait also ends when a socket is ready or a libcurl timer (such as a request's timeout) is due.
        _ = ccurl_multi_poll_extra(library.functions, multi, &extra, UInt32(extra.count), 1000)
        if extra[0].revents != 0 { drainWakeDescriptor() }
        guard let descriptor else { return false }
        if extra[1].revents != 0 { return true }
        // `curl_waitfd` has no flag for POLLHUP, which a pipe whose writer has closed may set alone, so an input
        // without a reported event is checked once more by itself.
        var check = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&check, 1, 0) > 0
    }

    private func drainWakeDescriptor() {
        var count: UInt64 = 0
        _ = read(wakeDescriptor, &count, MemoryLayout<UInt64>.size)
    }

    private func readInput(_ descriptor: Int32, handler: InputHandler, into buffer: inout [UInt8]) {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR || errno == EAGAIN { return }
        guard count > 0 else {
            lock.withLock { input = nil }
            handler(nil)
            return
        }
        buffer.withUnsafeBytes { handler(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    // MARK: - Transfers

    private func driveTransfers() {
        let (added, removed) = lock.withLock {
            defer {
                submitted.removeAll(keepingCapacity: true)
                cancelled.removeAll(keepingCapacity: true)
            }
            return (submitted, cancelled)
        }
        for (exchange, library) in added {
            start(exchange, library: library)
        }
        for exchange in removed {
            guard let library, let multi, transfers.remove(exchange, from: multi, library: library) else { continue }
            resume(exchange, with: .failure(.cancelled))
        }
        guard let library, let multi, !transfers.isEmpty else { return }

        var stillRunning: Int32 = 0
        ccurl_multi_perform(library.functions, multi, &stillRunning)
        for (exchange, outcome) in transfers.takeFinished(from: multi, library: library) {
            resume(exchange, with: outcome)
        }
    }

    private func start(_ exchange: CurlExchange, library submittedLibrary: CurlLibrary) {
        if multi == nil {
            library = submittedLibrary
            multi = ccurl_multi_init(submittedLibrary.functions)
        }
        guard let library, let multi else {
            resume(exchange, with: .failure(.notSent("\(exchange.label): libcurl could not make a multi handle.")))
            return
        }
        if let failure = transfers.start(exchange, in: multi, library: library) {
            resume(exchange, with: failure)
        }
    }

    private func resume(_ exchange: CurlExchange, with outcome: CurlExchange.Outcome) {
        let continuation = lock.withLock {
            defer { exchange.continuation = nil }
            return exchange.continuation
        }
        continuation?.resume(returning: outcome)
    }
}
