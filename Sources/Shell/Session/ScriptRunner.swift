import Tools

/// Script mode: runs every line from a reader, with no prompt or banner.
package enum ScriptRunner {
    /// Runs lines until the end of input or `exit`.
    /// - Parameter stopsOnError: stop at the first failed command, like `set -e`.
    /// - Returns: the exit status: 0 when every command succeeded, 1 when any failed.
    package static func run(session: ShellSession, reader: any LineReader, stopsOnError: Bool) async -> Int32 {
        var lineNumber = 0
        var hasFailure = false
        reading: while true {
            switch await reader.readLine(prompt: "") {
            case .endOfInput:
                break reading
            case .interrupted:
                continue
            case .line(let text):
                lineNumber += 1
                let outcomes = await session.run(line: text, number: lineNumber, stopsOnError: stopsOnError)
                if outcomes.contains(.failed) {
                    hasFailure = true
                    if stopsOnError { break reading }
                }
                if outcomes.contains(.exit) { break reading }
            }
        }
        return hasFailure ? 1 : 0
    }
}
