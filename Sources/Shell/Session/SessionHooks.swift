import Foundation
import Tools

/// Actions the shell cannot do through a tool, supplied by the executable. Nil means not available here.
package struct SessionHooks: Sendable {
    /// Starts a new paper account with the given balances (empty: the defaults); returns a line to show.
    package var resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)?

    package init(resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)? = nil) {
        self.resetPaper = resetPaper
    }
}
