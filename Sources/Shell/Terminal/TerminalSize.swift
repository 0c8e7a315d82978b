@preconcurrency import Glibc

/// The size of the terminal on standard output.
enum TerminalSize {
    /// Returns the number of columns, read at each call so a resized window counts; nil when stdout is no terminal.
    static func columns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Returns the number of rows; nil when stdout is no terminal.
    static func rows() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }
}
