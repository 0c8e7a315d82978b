import Foundation

/// Destination of the shell's text: results to standard output, errors and progress to standard error.
package protocol OutputSink: Sendable {
    func writeOutput(_ text: String)
    func writeError(_ text: String)
}

/// Writes to the process's stdout and stderr without buffering, so output interleaves in order.
package struct StandardOutputSink: OutputSink {
    package init() {}

    package func writeOutput(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    package func writeError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
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
