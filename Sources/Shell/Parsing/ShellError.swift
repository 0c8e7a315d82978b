/// A command line the shell cannot turn into an action. `message` is the text users see.
package struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }

    static func unterminatedQuote(mark: String, column: Int) -> ShellError {
        ShellError("Unterminated quote \(mark) opened at column \(column): close it with another \(mark).")
    }

    /// For a quote opened on a later line of a command that spans lines.
    static func unterminatedQuote(mark: String, line: Int, column: Int) -> ShellError {
        ShellError("Unterminated quote \(mark) opened at line \(line), column \(column): close it with another \(mark).")
    }

    static let danglingEscape = ShellError(#"Backslash at the end of the line: write '\\' for a literal backslash."#)
}
