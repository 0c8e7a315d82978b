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
    /// bytes, so the 16 bytes come from a pool that one `getentropy` call fills for 16 ids. The generator is the
    /// fallback if that call fails.
    package static func randomID() -> String {
        var bytes = EntropyPool.shared.take16()
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

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

/// Random bytes from the kernel, fetched 256 at a time and handed out once each.
private final class EntropyPool: @unchecked Sendable {
    static let shared = EntropyPool()

    // The lock protects `bytes` and `next`.
    private let lock = NSLock()
    /// glibc's `getentropy` (2.36 checked with strace) makes one `getrandom` system call for up to 256 bytes.
    private var bytes = [UInt8](repeating: 0, count: 256)
    private var next = 256

    /// Returns 16 bytes no earlier call returned, refilling the pool when it is used up.
    func take16() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if next + 16 > bytes.count {
            let status = bytes.withUnsafeMutableBytes { getentropy($0.baseAddress, $0.count) }
            if status != 0 {
                var generator = SystemRandomNumberGenerator()
                for index in bytes.indices { bytes[index] = generator.next() }
            }
            next = 0
        }
        let fresh = Array(bytes[next..<(next + 16)])
        // Used bytes are cleared, so the pool keeps only ids not yet handed out.
        for index in next..<(next + 16) { bytes[index] = 0 }
        next += 16
        return fresh
    }
}
