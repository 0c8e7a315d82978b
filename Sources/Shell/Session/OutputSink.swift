import Foundation

/// Destination of the shell's text: results to standard output, errors and progress to standard error.
package protocol OutputSink: Sendable {
    func writeOutput(_ text: String)
    func writeError(_ text: String)
    /// Writes out any output held back; sinks that hold nothing back do nothing.
    func flush()
}

extension OutputSink {
    package func flush() {}
}

/// Writes to the process's stdout and stderr without buffering, so output interleaves in order.
package struct StandardOutputSink: OutputSink {
    package init() {}

    package func writeOutput(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    package func writeError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// Returns the sink for script mode: buffered when stdout is not a terminal, unbuffered otherwise.
    package static func forScript() -> any OutputSink {
        isatty(STDOUT_FILENO) == 1 ? StandardOutputSink() : BufferedOutputSink()
    }
}

/// Collects stdout text in memory and writes it in large blocks; for scripts whose output goes to a file or pipe.
///
/// A script of many short commands otherwise makes one `write` system call per result. Held text is written
/// out when it reaches `capacity` bytes, before anything is written to stderr (so an error follows the results
/// printed before it when both streams go to one file), and on `flush()`. Script mode flushes whenever it must
/// wait for the next input line and when it ends.
package final class BufferedOutputSink: OutputSink, @unchecked Sendable {
    // The lock protects `pending`; progress messages may be written from other threads.
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private let capacity: Int
    private let outputDescriptor: Int32
    private let errorDescriptor: Int32

    /// - Parameters:
    ///   - capacity: bytes held before they are written out.
    ///   - outputDescriptor, errorDescriptor: file descriptors; tests pass pipes.
    package init(capacity: Int = 64 * 1024, outputDescriptor: Int32 = STDOUT_FILENO, errorDescriptor: Int32 = STDERR_FILENO) {
        self.capacity = capacity
        self.outputDescriptor = outputDescriptor
        self.errorDescriptor = errorDescriptor
        pending.reserveCapacity(capacity)
    }

    package func writeOutput(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(contentsOf: text.utf8)
        if pending.count >= capacity { flushLocked() }
    }

    package func writeError(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
        Self.writeAll(Array(text.utf8), to: errorDescriptor)
    }

    package func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        guard !pending.isEmpty else { return }
        Self.writeAll(pending, to: outputDescriptor)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes every byte, retrying short writes and interrupted calls. Other failures, such as a closed pipe,
    /// drop the bytes not yet written.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// Keeps everything written, for tests.
package final class CapturingOutputSink: OutputSink, @unchecked Sendable {
    // The lock protects both strings; writes may come from progress callbacks on other threads.
    private let lock = NSLock()
    private var output = ""
    private var errors = ""

    package init() {}

    package func writeOutput(_ text: String) { lock.withLock { output += text } }
    package func writeError(_ text: String) { lock.withLock { errors += text } }

    package var standardOutput: String { lock.withLock { output } }
    package var standardError: String { lock.withLock { errors } }
}
