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

    /// A random version-4 UUID string in the form of `UUID().uuidString` (upper-case hex). `UUID()` opens and reads
    /// `/dev/urandom` on every call on Linux, and `SystemRandomNumberGenerator` makes one `getrandom` call per 8
    /// bytes, so the 16 bytes come from one `getentropy` call. The generator is the fallback if that call fails.
    package static func randomID() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        // glibc's `getentropy` (2.36 checked with strace) makes one `getrandom` system call for up to 256 bytes.
        let status = bytes.withUnsafeMutableBytes { getentropy($0.baseAddress, $0.count) }
        if status != 0 {
            var generator = SystemRandomNumberGenerator()
            for index in bytes.indices { bytes[index] = generator.next() }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
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
