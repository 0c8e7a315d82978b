import Tools

/// Script mode: runs every line from a reader, with no prompt or banner.
package enum ScriptRunner {
    /// Runs lines until the end of input or `exit`.
    ///
    /// A line that ends inside a quote continues on the next line, as in a POSIX shell: the quoted value keeps
    /// the newline, and errors name the line the command started on.
    /// Output the session's sink holds back is written out before each wait for input and at the end, so a
    /// program that feeds commands one at a time receives each result before it sends the next command.
    /// - Parameter stopsOnError: stop at the first failed command, like `set -e`.
    /// - Returns: the exit status: 0 when every command succeeded, 1 when any failed.
    package static func run(session: ShellSession, reader: any LineReader, stopsOnError: Bool) async -> Int32 {
        defer { session.output.flush() }
        var lineNumber = 0
        var hasFailure = false
        reading: while true {
            if !reader.isInputReady { session.output.flush() }
            switch await reader.readLine(prompt: "") {
            case .endOfInput:
                break reading
            case .interrupted:
                continue
            case .line(let text):
                lineNumber += 1
                let firstLine = lineNumber
                var command = text
                var hasInput = true
                while hasInput, Tokenizer.endsInsideQuote(command) {
                    if !reader.isInputReady { session.output.flush() }
                    guard case .line(let next) = await reader.readLine(prompt: "") else {
                        // The end of the script inside a quote: the tokenizer reports where the quote opened.
                        hasInput = false
                        break
                    }
                    lineNumber += 1
                    command += "\n" + next
                }
                let outcomes = await session.run(line: command, number: firstLine, stopsOnError: stopsOnError)
                if outcomes.contains(.failed) {
                    hasFailure = true
                    if stopsOnError { break reading }
                }
                if outcomes.contains(.exit) || !hasInput { break reading }
            }
        }
        return hasFailure ? 1 : 0
    }
}
