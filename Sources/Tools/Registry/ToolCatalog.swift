import BinanceAPI

extension ToolEngine {
    /// Builds the engine with every tool of the product for the configured venue.
    package static func make(
        configuration: Configuration,
        transport: any HTTPTransport,
        credentials: Credentials?,
        logger: Logger
    ) throws(ToolError) -> ToolEngine {
        let venue = configuration.venue
        let spot: String
        let futures: String
        switch venue {
        case .sim:
            spot = "sim://spot"
            futures = "sim://futures"
        case .testnet:
            spot = BinanceHosts.spotTestnet
            futures = BinanceHosts.futuresTestnet
        case .live:
            spot = BinanceHosts.spotProduction
            futures = BinanceHosts.futuresProduction
        case .custom:
            spot = configuration.baseURL ?? ""
            futures = configuration.baseURL ?? ""
        }
        let client = BinanceClient(
            configuration: ClientConfiguration(
                spotBaseURL: spot,
                futuresBaseURL: futures,
                credentials: credentials,
                recvWindowMilliseconds: configuration.recvWindowMilliseconds
            ),
            transport: transport,
            logger: logger
        )
        let services = ToolServices(configuration: configuration, venue: venue, client: client, logger: logger)
        // TODO: the registry is filled in by the tools work; empty until then.
        return ToolEngine(tools: [], services: services)
    }
}
