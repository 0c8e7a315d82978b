import Foundation

extension InvocationRateLimiter {
    /// Admits one invocation under its wait policy.
    ///
    /// With `.failFast` this is `admit(_:)`. With `.wait(maximumSeconds:)` a call over the limit waits while the
    /// total wait stays within the budget: it reports each wait through `invocation.progress` and checks again
    /// every second, so a cancelled call stops within about a second.
    /// - Throws: `rate_limit_exceeded` when the wait would pass the budget, `cancelled` when the task is cancelled.
    package func admit(_ invocation: Invocation) async throws(ToolError) {
        var waitedSeconds = 0
        while true {
            do {
                try admit(invocation.origin)
                return
            } catch {
                guard case .wait(let maximumSeconds) = invocation.waitPolicy,
                    let retryAfter = error.details["retry_after_seconds"]?.decimalValue,
                    Decimal(waitedSeconds) + retryAfter <= Decimal(maximumSeconds)
                else { throw error }
                invocation.progress?(
                    "Waiting \(retryAfter) s for the invocation rate limit (\(waitedSeconds) s waited so far)."
                )
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled {
                    throw ToolError(.cancelled, "The call was cancelled while it waited for the invocation rate limit.")
                }
                waitedSeconds += 1
            }
        }
    }
}
