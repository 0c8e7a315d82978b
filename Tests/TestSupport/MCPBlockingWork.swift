import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe) on its own thread and awaits the result.
///
/// The cooperative pool has as many threads as the machine has cores, and a test that blocks one of them
/// stalls every async test running beside it.
package func runOffThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try body() })
        }.start()
    }
}
