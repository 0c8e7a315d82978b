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
    /// Path of a file shared by processes using the same key. It stores the rate-limit counts per base URL and
    /// key, the exchange's limits, and server pauses (HTTP 429) and bans (HTTP 418). So the processes share
    /// one budget and every process obeys a pause or ban. Nil keeps all of it in this process only.
    package var sharedLimitStatePath: String?
    /// How many times a read (GET) is retried after an unknown outcome, with doubling backoff.
    package var maximumReadRetries: Int
    /// Whether the client reads the spot limits with one `GET /api/v3/exchangeInfo` before its first spot
    /// request, unless the shared state already contains limits younger than `exchangeLimitsMaximumAge`.
    /// Off, the built-in defaults apply until an exchangeInfo response is decoded or `adoptLimits` is called.
    package var shouldFetchLimitsBeforeFirstRequest = false
    /// Age after which limits read from exchangeInfo are read again before the next request.
    package var exchangeLimitsMaximumAge: Duration = .seconds(3600)
    /// Symbol of the small exchangeInfo request that reads the limits; a server that does not list it gets
    /// the full exchangeInfo request instead.
    package var limitDiscoverySymbol = "BTCUSDT"
    /// Whether the client measures the clock offset with `GET /api/v3/time` before its first signed request
    /// and again when the last measurement is older than `clockResynchronizationInterval`.
    package var shouldSynchronizeClockBeforeSigning = false
    /// Age after which the clock offset is measured again before a signed request.
    package var clockResynchronizationInterval: Duration = .seconds(600)

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

    /// Returns the base URL that serves requests counted in `scope`.
    package func baseURL(for scope: LimitScope) -> String {
        scope == .futures ? futuresBaseURL : spotBaseURL
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
