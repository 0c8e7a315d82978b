import Foundation
import Synchronization

/// The time that the exchange requests of one tool call may take in total, retries and backoff pauses included.
///
/// Waiting for a rate limit, for a person's confirmation or for the invocation limit does not count, because the
/// person or the limit decides those, not an unresponsive server. The client caps each request's timeout at the
/// time left, and sends nothing once none is left. The tool engine binds one budget per call with
/// `CallTimeBudget.$current.withValue`; requests outside any call (start-up checks, tests) have no budget.
///
/// A state change that may have reached the exchange is looked up with `lookupBudget()`, a fresh budget of the
/// same size, so the lookup still runs when the call's own time is used up.
package final class CallTimeBudget: Sendable {
    @TaskLocal package static var current: CallTimeBudget?

    /// The total time allowed.
    package let limit: Duration
    /// Nanoseconds spent so far. Atomics rather than a lock, because child tasks of one call (shared fetches) may
    /// add to it concurrently, and every request of every tool call reads and updates it.
    private let spentNanoseconds = Atomic<Int64>(0)
    private let gaveUp = Atomic<Bool>(false)

    package init(limit: Duration) {
        self.limit = limit
    }

    /// The time still allowed; zero or less once the budget is used up.
    package var remaining: Duration {
        limit - .nanoseconds(spentNanoseconds.load(ordering: .relaxed))
    }

    /// Whether the budget decided the call's outcome: no time is left, or the client skipped a request or retry
    /// because the time left was too short for it.
    package var hasRunOut: Bool {
        gaveUp.load(ordering: .relaxed) || remaining <= .zero
    }

    /// Counts `duration` as spent.
    package func spend(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        // A day bounds the multiplication, and every call time limit is shorter.
        let nanoseconds = min(seconds, 86_400) * 1_000_000_000 + attoseconds / 1_000_000_000
        spentNanoseconds.add(nanoseconds, ordering: .relaxed)
    }

    /// Records that the client skipped a request or retry for lack of time.
    package func markRunOut() {
        gaveUp.store(true, ordering: .relaxed)
    }

    /// Waits for `task`, a preparation that another call started (such as reading the exchange's rate limits), for
    /// at most the time left in the current call's budget, and counts the wait as spent. Without a budget, waits
    /// until the task ends. The task itself runs on when the wait stops early.
    package static func wait(for task: Task<Void, Never>) async {
        guard let budget = current else {
            await task.value
            return
        }
        let remaining = budget.remaining
        guard remaining > .zero else {
            budget.markRunOut()
            return
        }
        let started = ContinuousClock.now
        let timer = Mutex<Task<Void, Never>?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            Task {
                await task.value
                once.resume()
            }
            timer.withLock {
                $0 = Task {
                    try? await Task.sleep(for: remaining)
                    once.resume()
                }
            }
        }
        timer.withLock { $0?.cancel() }
        budget.spend(ContinuousClock.now - started)
    }

    /// Returns a fresh budget of the same size for looking up a state change whose outcome is unknown.
    package func lookupBudget() -> CallTimeBudget {
        CallTimeBudget(limit: limit)
    }
}

/// A continuation that the first of several racing tasks resumes; later calls do nothing.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { pending in
            pending?.resume()
            pending = nil
        }
    }
}
