import Foundation

/// Facts about the invocation in progress that the engine and the trading guard share without passing them
/// through tool handlers: its audit id and the order the guard authorized during it.
///
/// The engine binds one scope per invocation with `InvocationScope.$current.withValue`; the guard reads it
/// when a handler calls `authorize`. A guard call outside any invocation (a test, `halt`) sees nil.
package final class InvocationScope: Sendable {
    @TaskLocal package static var current: InvocationScope?

    /// Ties the audit events of one invocation together.
    package let id: String
    // The lock protects `storedIntent`, which the guard writes from the handler's task and the engine reads
    // after the handler returns.
    private let lock = NSLock()
    nonisolated(unsafe) private var storedIntent: OrderIntent?

    package init(id: String = UUID().uuidString) {
        self.id = id
    }

    /// The order the guard authorized in this invocation, if any.
    package var authorizedIntent: OrderIntent? {
        lock.lock()
        defer { lock.unlock() }
        return storedIntent
    }

    func setAuthorizedIntent(_ intent: OrderIntent) {
        lock.lock()
        defer { lock.unlock() }
        storedIntent = intent
    }
}
