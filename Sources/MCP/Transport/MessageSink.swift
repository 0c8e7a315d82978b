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
/// Writes run on a serial queue: a client that stops reading blocks that queue, not the cooperative pool.
package final class FileDescriptorSink: MessageSink {
    private let fileDescriptor: Int32
    private let queue = DispatchQueue(label: "mcp-stdout")
    private let logger: Logger
    /// Applied to every message, so text echoed from a request (an unknown method name) cannot carry a secret out.
    private let redactor: Redactor

    package init(fileDescriptor: Int32, logger: Logger, redactor: Redactor = Redactor()) {
        self.fileDescriptor = fileDescriptor
        self.logger = logger
        self.redactor = redactor
    }

    package func send(_ message: JSONValue) {
        let bytes = Array((redactor.redact(message).serialized() + "\n").utf8)
        queue.async { [fileDescriptor, logger] in
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

    package func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }
}
