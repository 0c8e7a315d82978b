/// Settings of the MCP server that do not come from the tool engine.
package struct MCPServerOptions: Sendable {
    package var name = "binance-shell"
    package var title = "Binance Shell"
    package var version: String
    /// Tools per `tools/list` page. The default is larger than the catalogue, so one page holds every tool.
    package var toolsPageSize = 100
    /// How long read-only calls still running at end of input may take to finish and send their results. It is
    /// longer than four attempts of a read with the default 10 s request timeout, so a burst of calls followed by
    /// end of input gets every result. A client that wants a faster stop sends SIGTERM.
    package var drainPeriod: Duration = .seconds(60)
    /// How long cancelled calls may take to stop before the server returns anyway.
    package var cancellationGracePeriod: Duration = .milliseconds(500)
    /// How long a person has to answer an order confirmation before it counts as cancelled.
    package var confirmationTimeout: Duration = .seconds(300)
    /// How long a `requestState` of a stateless order confirmation stays valid.
    package var confirmationStateLifetime: Duration = .seconds(300)
    /// Longest rate-limit wait for a call that carries a progress token; calls without one fail at once.
    package var maximumRateLimitWaitSeconds = 30

    package init(version: String) {
        self.version = version
    }
}
