import BinanceAPI
import Foundation
import Tools

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the server's outgoing messages go. Implementations keep the order of calls.
package protocol MessageSink: Sendable {
    /// Queues one message; it is written as one line of compact JSON.
    func send(_ message: JSONValue)
    /// Returns once every queued message has been written.
    func flush() async
}

/// Writes each message as one line to a file descriptor (stdout) with `write(2)`, so nothing sits in a stdio buffer.
///
/// A message is written at once, on the sender's thread, when the write cannot block. That needs a pipe, socket or
/// regular file, an empty queue, a line of at most `PIPE_BUF` bytes (which a pipe takes whole), and `poll`
/// reporting the descriptor writable. Any other message goes to a serial queue, so a client that stops reading
/// blocks that queue, not the cooperative pool. Writing at once saves a thread wake-up per reply. Messages leave in
/// the order of the `send` calls either way.
package final class FileDescriptorSink: MessageSink, @unchecked Sendable {
    private let fileDescriptor: Int32
    private let queue = DispatchQueue(label: "mcp-stdout")
    private let logger: Logger
    /// Applied to every message, so text echoed from a request (an unknown method name) cannot carry a secret out.
    private let redactor: Redactor
    /// Whether a writable descriptor takes a short write without blocking. Terminals and devices may not.
    private let allowsDirectWrites: Bool
    // The lock protects `queuedCount` and is held during each direct write, which orders it against the others.
    private let lock = NSLock()
    /// Messages handed to the queue and not yet written.
    private var queuedCount = 0

    package init(fileDescriptor: Int32, logger: Logger, redactor: Redactor = Redactor()) {
        self.fileDescriptor = fileDescriptor
        self.logger = logger
        self.redactor = redactor
        var status = stat()
        let kind = fstat(fileDescriptor, &status) == 0 ? status.st_mode & S_IFMT : 0
        allowsDirectWrites = kind == S_IFIFO || kind == S_IFSOCK || kind == S_IFREG
    }

    package func send(_ message: JSONValue) {
        let bytes = Array((redactor.redact(message).serialized() + "\n").utf8)
        lock.lock()
        if queuedCount == 0, allowsDirectWrites, bytes.count <= Int(PIPE_BUF), isWritable() {
            Self.writeAll(bytes, to: fileDescriptor, logger: logger)
            lock.unlock()
            return
        }
        queuedCount += 1
        lock.unlock()
        queue.async { [self] in
            Self.writeAll(bytes, to: fileDescriptor, logger: logger)
            lock.withLock { queuedCount -= 1 }
        }
    }

    package func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    /// Returns true when `poll` reports the descriptor writable now, without waiting.
    private func isWritable() -> Bool {
        var request = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
        return poll(&request, 1, 0) == 1 && request.revents & Int16(POLLOUT) != 0
            && request.revents & Int16(POLLERR | POLLHUP | POLLNVAL) == 0
    }

    private static func writeAll(_ bytes: [UInt8], to fileDescriptor: Int32, logger: Logger) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fileDescriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                logger.debug("Could not write to stdout; the client has probably gone", ["errno": "\(errno)"])
                return
            }
            offset += written
        }
    }
}
