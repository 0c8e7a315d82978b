/// Where and how the client sends requests. Only configuration builds this; tool arguments never reach it.
package struct ClientConfiguration: Sendable {
    /// Base URL of `/api` and `/sapi` requests, such as `https://api.binance.com`.
    package var spotBaseURL: String
    /// Base URL of `/fapi` requests, such as `https://fapi.binance.com`.
    package var futuresBaseURL: String
    /// Credentials for signed endpoints; nil means only public endpoints work.
    package var credentials: Credentials?
    /// `recvWindow` in milliseconds sent with every signed request (Binance's default 5000, at most 60000).
    package var recvWindowMilliseconds: Int
    /// Time allowed for one HTTP exchange.
    package var requestTimeout: Duration
    /// Prefix of generated client order ids, which tells the way in (`bsh` for the shell, `bsm` for MCP).
    package var clientOrderIDPrefix: String
    /// Path of a file shared by processes using the same key. It records server pauses (HTTP 429) and bans
    /// (HTTP 418) so that every process obeys them. Nil keeps them in this process only.
    package var sharedLimitStatePath: String?
    /// How many times a read (GET) is retried after an unknown outcome, with doubling backoff.
    package var maximumReadRetries: Int

    package init(
        spotBaseURL: String,
        futuresBaseURL: String,
        credentials: Credentials?,
        recvWindowMilliseconds: Int = 5000,
        requestTimeout: Duration = .seconds(10),
        clientOrderIDPrefix: String = "bsh",
        sharedLimitStatePath: String? = nil,
        maximumReadRetries: Int = 3
    ) {
        self.spotBaseURL = spotBaseURL
        self.futuresBaseURL = futuresBaseURL
        self.credentials = credentials
        self.recvWindowMilliseconds = recvWindowMilliseconds
        self.requestTimeout = requestTimeout
        self.clientOrderIDPrefix = clientOrderIDPrefix
        self.sharedLimitStatePath = sharedLimitStatePath
        self.maximumReadRetries = maximumReadRetries
    }

    /// Returns the base URL that serves `market`.
    package func baseURL(for market: Market) -> String {
        market == .futures ? futuresBaseURL : spotBaseURL
    }
}

/// Base URLs of Binance's public services.
package enum BinanceHosts {
    package static let spotProduction = "https://api.binance.com"
    package static let spotTestnet = "https://testnet.binance.vision"
    package static let futuresProduction = "https://fapi.binance.com"
    package static let futuresTestnet = "https://testnet.binancefuture.com"
}
