import Foundation

/// Tells the shell that the user pressed Ctrl-C.
package protocol InterruptSource: Sendable {
    /// Returns true once for each Ctrl-C since the last call.
    func consumeInterrupt() -> Bool
}

/// The end of an operation that the user may interrupt.
package enum InterruptibleOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case interrupted
}

/// Runs `operation` while watching for Ctrl-C. An interrupt cancels the operation's task and returns at once,
/// even if the operation ignores cancellation; its late result is dropped.
///
/// - Parameters:
///   - slowAfter: when the operation is still running after this long, `onSlow` is called once.
///   - onFinish: called when `onSlow` was called, to clear a waiting message.
///   - prompt: while it is active, Ctrl-C is left to the prompt's line reader and `onSlow` waits.
package func runInterruptibly<Value: Sendable>(
    interrupts: any InterruptSource,
    prompt: PromptActivity? = nil,
    slowAfter: Duration = .seconds(1),
    onSlow: @escaping @Sendable () -> Void = {},
    onFinish: @escaping @Sendable () -> Void = {},
    _ operation: @escaping @Sendable () async -> Value
) async -> InterruptibleOutcome<Value> {
    _ = interrupts.consumeInterrupt()
    let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<InterruptibleOutcome<Value>, Never>) in
        let gate = ResumeGate(continuation)
        let work = Task {
            let value = await operation()
            gate.resume(with: .finished(value))
        }
        let watcher = Task {
            let clock = ContinuousClock()
            let slowAt = clock.now.advanced(by: slowAfter)
            var reportedSlow = false
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                if prompt?.isActive == true { continue }
                if interrupts.consumeInterrupt() {
                    work.cancel()
                    gate.resume(with: .interrupted)
                    break
                }
                if !reportedSlow, clock.now >= slowAt, !gate.isResumed {
                    reportedSlow = true
                    gate.markSlow()
                    onSlow()
                }
            }
        }
        gate.onResume = { wasSlow in
            watcher.cancel()
            if wasSlow { onFinish() }
        }
    }
    return outcome
}

/// Resumes a continuation exactly once, whichever of the work and the watcher finishes first.
private final class ResumeGate<Value: Sendable>: @unchecked Sendable {
    // The lock protects every stored property.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<InterruptibleOutcome<Value>, Never>?
    private var wasSlow = false
    private var callback: (@Sendable (Bool) -> Void)?
    private var callbackPending = false

    init(_ continuation: CheckedContinuation<InterruptibleOutcome<Value>, Never>) {
        self.continuation = continuation
    }

    var isResumed: Bool { lock.withLock { continuation == nil } }

    func markSlow() { lock.withLock { wasSlow = true } }

    /// Called after resumption with whether the operation was reported slow.
    var onResume: (@Sendable (Bool) -> Void)? {
        get { lock.withLock { callback } }
        set {
            let run: (Bool)? = lock.withLock {
                callback = newValue
                guard callbackPending else { return nil }
                callbackPending = false
                return wasSlow
            }
            if let run { newValue?(run) }
        }
    }

    func resume(with outcome: InterruptibleOutcome<Value>) {
        typealias Claim = (CheckedContinuation<InterruptibleOutcome<Value>, Never>?, Bool, (@Sendable (Bool) -> Void)?)
        let (resumed, slow, handler): Claim = lock.withLock {
            guard let current = continuation else { return (nil, false, nil) }
            continuation = nil
            if callback == nil { callbackPending = true }
            return (current, wasSlow, callback)
        }
        guard let resumed else { return }
        handler?(slow)
        resumed.resume(returning: outcome)
    }
}
