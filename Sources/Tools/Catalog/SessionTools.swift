import BinanceAPI
import Foundation

/// `get_status`: local facts about the session, without a request to the exchange.
enum SessionTools {
    static func status(_ gateway: ExchangeGateway, toolCount: Int) -> Tool {
        let schema = DataShape.object(
            [
                "venue": DataShape.string,
                "baseURL": DataShape.string,
                "tradingAllowed": DataShape.boolean,
                "hasCredentials": DataShape.boolean,
                "clockOffsetMs": DataShape.integer,
                "recvWindowMs": DataShape.integer,
                "maxOrderNotional": DataShape.decimal,
                "symbolAllowlist": DataShape.array(of: DataShape.string),
                "tools": DataShape.integer,
                "exchangeInfoAgeSeconds": DataShape.object(
                    ["spot": DataShape.integer, "futures": DataShape.integer], required: []
                ),
                "tradingGuard": ["type": "object"],
                "clockSynchronized": DataShape.boolean,
                "weightUsed": DataShape.integer,
                "weightLimit": DataShape.integer,
                "bannedUntil": DataShape.integer,
                "pausedUntil": DataShape.integer,
            ],
            required: ["venue", "baseURL", "tradingAllowed", "hasCredentials", "clockOffsetMs", "recvWindowMs",
                       "symbolAllowlist", "tools", "exchangeInfoAgeSeconds", "tradingGuard", "clockSynchronized", "weightUsed",
                       "weightLimit"]
        )
        return Tool(
            name: "get_status",
            title: "Status",
            summary: "The venue, whether an order would be allowed now (off while halted), the trading guard's limits and halts, the request weight used "
                + "and the clock offset. "
                + "Sends no request.",
            group: .session,
            parameters: [],
            dataSchema: schema,
            annotations: .local,
            examples: ["get_status", "status"],
            layout: TableLayout(rows: nil, columns: ["venue", "baseURL", "tradingAllowed", "clockOffsetMs"])
        ) { _, context throws(ToolError) in
            let configuration = gateway.configuration
            let client = await gateway.client.configuration
            let limits = await gateway.client.status()
            var ages: [String: JSONValue] = [:]
            if let spot = await gateway.exchangeInfo.age(of: .spot) { ages["spot"] = .int(Int(spot)) }
            if let futures = await gateway.exchangeInfo.age(of: .futures) { ages["futures"] = .int(Int(futures)) }
            let guardStatus = await context.services.tradingGuard.status()
            // An order passes only when the venue allows trading and the kill switch is off, so a model
            // reading `tradingAllowed` alone is not misled while trading is halted.
            let isHalted = guardStatus.objectValue?["halted"].map { $0 != .null } ?? false
            var data: [String: JSONValue] = [
                "venue": .string(gateway.venue.rawValue),
                "baseURL": .string(withoutUserInfo(client.spotBaseURL)),
                "tradingAllowed": .bool(configuration.isTradingAllowed && !isHalted),
                "hasCredentials": .bool(client.credentials != nil),
                "clockOffsetMs": .int64(limits.clockOffsetMilliseconds),
                "clockSynchronized": .bool(limits.isClockSynchronized),
                "weightUsed": .int(limits.weightUsed),
                "weightLimit": .int(limits.weightLimit),
                "recvWindowMs": .int(client.recvWindowMilliseconds),
                "symbolAllowlist": .array(configuration.symbolAllowlist.sorted().map { .string($0) }),
                "tools": .int(toolCount),
                "exchangeInfoAgeSeconds": .object(ages),
                "tradingGuard": guardStatus,
            ]
            if let maximum = configuration.maxOrderNotional {
                data["maxOrderNotional"] = .string(DecimalText.format(maximum))
            }
            if let until = limits.bannedUntil { data["bannedUntil"] = .int64(Int64(until.timeIntervalSince1970 * 1000)) }
            if let until = limits.pausedUntil { data["pausedUntil"] = .int64(Int64(until.timeIntervalSince1970 * 1000)) }
            return .object(data)
        }
    }

    /// Removes `user:password@` from a URL, which a proxy URL may carry.
    static func withoutUserInfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
