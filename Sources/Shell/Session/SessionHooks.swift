import Foundation
import Tools

/// Actions the shell cannot do through a tool, supplied by the executable. Nil means not available here.
package struct SessionHooks: Sendable {
    /// Starts a new paper account with the given balances (empty: the defaults); returns a line to show.
    package var resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)?
    /// Engages the kill switch; returns a line to show.
    package var halt: (@Sendable () async throws(ToolError) -> String)?
    /// Releases the kill switch; returns a line to show.
    package var resume: (@Sendable () async throws(ToolError) -> String)?

    package init(
        resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)? = nil,
        halt: (@Sendable () async throws(ToolError) -> String)? = nil,
        resume: (@Sendable () async throws(ToolError) -> String)? = nil
    ) {
        self.resetPaper = resetPaper
        self.halt = halt
        self.resume = resume
    }
}
