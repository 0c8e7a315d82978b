import Foundation
import Tools

/// Actions the shell cannot do through a tool, supplied by the executable. Nil means not available here.
package struct SessionHooks: Sendable {
    /// Starts a new paper account with the given balances (empty: the defaults); returns a line to show.
    package var resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)?

    /// Lists the venue's symbols and their filter steps, for a venue that has them in memory (the in-process
    /// simulator). Nil makes the shell request exchangeInfo instead.
    package var listSymbols: (@Sendable () throws(ToolError) -> SymbolListing)?

    package init(
        resetPaper: (@Sendable ([String: Decimal]) async throws(ToolError) -> String)? = nil,
        listSymbols: (@Sendable () throws(ToolError) -> SymbolListing)? = nil
    ) {
        self.resetPaper = resetPaper
        self.listSymbols = listSymbols
    }
}
