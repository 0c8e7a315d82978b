import BinanceAPI

/// The product's tools in their fixed order: the fifteen of the Python "Binance MCP Server" first, under the
/// same names and parameter names, then the order path, further market data, and the session status.
package enum ToolCatalog {
    /// Returns every tool, each defined once, with handlers bound to `gateway`.
    package static func tools(gateway: ExchangeGateway) -> [Tool] {
        var tools = [
            MarketTools.tickerPrice(gateway),
            MarketTools.ticker(gateway),
            MarketTools.orderBook(gateway),
            MarketTools.availableAssets(gateway),
            AccountTools.feeInfo(gateway),
            AccountTools.balance(gateway),
            AccountTools.accountSnapshot(gateway),
            AccountTools.orders(gateway),
            OrderTools.createOrder(gateway),
            FuturesTools.positionInfo(gateway),
            FuturesTools.pnl(gateway),
            FuturesTools.liquidationHistory(gateway),
            WalletTools.depositAddress(gateway),
            WalletTools.depositHistory(gateway),
            WalletTools.withdrawHistory(gateway),
            OrderTools.previewOrder(gateway),
            OrderTools.cancelOrder(gateway),
            OrderTools.cancelOpenOrders(gateway),
            AccountTools.order(gateway),
            AccountTools.openOrders(gateway),
            AccountTools.myTrades(gateway),
            MarketTools.klines(gateway),
            MarketTools.recentTrades(gateway),
            MarketTools.averagePrice(gateway),
            SymbolInfoTool.make(gateway),
            FuturesTools.fundingRate(gateway),
        ]
        tools.append(SessionTools.status(gateway, toolCount: tools.count + 1))
        return tools
    }
}

extension ToolEngine {
    /// Builds the engine with every tool of the product for the configured venue.
    ///
    /// The venue decides the base URLs: `sim` uses the in-process simulator's names, `testnet` Binance's spot
    /// and futures testnets, `live` production, and `custom` the configured `BINANCE_BASE_URL` for both.
    /// - Parameter clock: the client's time and waits; tests pass one whose waits return at once.
    package static func make(
        configuration: Configuration,
        transport: any HTTPTransport,
        credentials: Credentials?,
        logger: Logger,
        clock: ClientClock = .system
    ) throws(ToolError) -> ToolEngine {
        let venue = configuration.venue
        let spot: String
        let futures: String
        switch venue {
        case .sim:
            spot = "sim://spot"
            futures = "sim://futures"
        // BINANCE_BASE_URL wins over a venue forced with --venue, so requests never leave for Binance's
        // hosts when the user named another server; the venue's safety rules still apply.
        case .testnet:
            spot = configuration.baseURL ?? BinanceHosts.spotTestnet
            futures = configuration.baseURL ?? BinanceHosts.futuresTestnet
        case .live:
            spot = configuration.baseURL ?? BinanceHosts.spotProduction
            futures = configuration.baseURL ?? BinanceHosts.futuresProduction
        case .custom:
            spot = configuration.baseURL ?? ""
            futures = configuration.baseURL ?? ""
        }
        var clientConfiguration = ClientConfiguration(
            spotBaseURL: spot,
            futuresBaseURL: futures,
            credentials: credentials,
            recvWindowMilliseconds: configuration.recvWindowMilliseconds,
            requestTimeout: .milliseconds(configuration.requestTimeoutMilliseconds),
            // Processes sharing a home and key share one rate-limit budget and obey a 429 pause or 418 ban any
            // of them received.
            sharedLimitStatePath: venue == .sim ? nil : configuration.home + "/rate-limit-state.json"
        )
        // A network venue's limits and clock are read before the first request that needs them; the paper
        // venue's limits are known without a request.
        clientConfiguration.shouldFetchLimitsBeforeFirstRequest = venue != .sim
        clientConfiguration.shouldSynchronizeClockBeforeSigning = venue != .sim
        let client = BinanceClient(
            configuration: clientConfiguration,
            transport: transport,
            logger: logger,
            clock: clock
        )
        let gateway = ExchangeGateway(
            client: client,
            exchangeInfo: ExchangeInfoCache(client: client),
            configuration: configuration,
            venue: venue
        )
        let services = ToolServices(configuration: configuration, venue: venue, client: client, logger: logger)
        return ToolEngine(tools: ToolCatalog.tools(gateway: gateway), services: services)
    }
}
