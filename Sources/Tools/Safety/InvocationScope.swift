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

    package init(id: String = InvocationScope.randomID()) {
        self.id = id
    }

    /// A random version-4 UUID string. `UUID()` opens and reads `/dev/urandom` on every call on Linux, which
    /// cost a few system calls per tool call; the system generator makes one `getrandom` call instead.
    package static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next()
        let low: UInt64 = generator.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for offset in 0..<8 {
            bytes[offset] = UInt8(truncatingIfNeeded: high >> (8 * offset))
            bytes[8 + offset] = UInt8(truncatingIfNeeded: low >> (8 * offset))
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let uuid = UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
        return uuid.uuidString
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
