import BinanceAPI
import Foundation

/// Read-only wallet tools: deposit address and deposit and withdrawal history. No tool moves funds.
enum WalletTools {
    static func depositAddress(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("coin", .string),
            DataField("address", .string),
            DataField("tag", .string, optional: true),
            DataField("url", .string, optional: true),
        ]
        return Tool(
            name: "get_deposit_address",
            title: "Deposit address",
            summary: "The address to deposit a coin to, on its default network or the one given.",
            group: .wallet,
            parameters: [Parameters.coin, ToolParameter("network", .asset, "Network such as ETH, BSC or TRX.")],
            dataSchema: DataShape.object(fields),
            annotations: .read,
            examples: ["get_deposit_address coin=USDT network=TRX"],
            layout: TableLayout(rows: nil, columns: ["coin", "address", "tag"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            try requireWallet(gateway)
            var parameters: RequestParameters = ["coin": arguments.string("coin") ?? ""]
            parameters.copy("network", as: "network", from: arguments)
            return try DataShape.map(try await gateway.json(.depositAddress, parameters), fields)
        }
    }

    static func depositHistory(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("id", .string, optional: true),
            DataField("coin", .string),
            DataField("amount", .decimal),
            DataField("network", .string, optional: true),
            DataField("status", .integer),
            DataField("address", .string, optional: true),
            DataField("addressTag", .string, optional: true),
            DataField("txId", .string, optional: true),
            DataField("insertTime", .integer),
            DataField("completeTime", .integer, optional: true),
            DataField("confirmTimes", .string, optional: true),
        ]
        return historyTool(
            gateway,
            name: "get_deposit_history",
            title: "Deposit history",
            summary: "Deposits of one coin, newest first; status 0 pending, 6 credited, 1 success; at most 90 days per range.",
            endpoint: .depositHistory,
            fields: fields,
            columns: ["insertTime", "coin", "amount", "network", "status", "txId"]
        )
    }

    static func withdrawHistory(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("id", .string),
            DataField("coin", .string),
            DataField("amount", .decimal),
            DataField("transactionFee", .decimal, optional: true),
            DataField("network", .string, optional: true),
            DataField("status", .integer),
            DataField("address", .string),
            DataField("txId", .string, optional: true),
            DataField("applyTime", .string),
            DataField("completeTime", .string, optional: true),
        ]
        return historyTool(
            gateway,
            name: "get_withdraw_history",
            title: "Withdrawal history",
            summary: "Withdrawals of one coin, newest first; status 6 means completed; at most 90 days per range.",
            endpoint: .withdrawHistory,
            fields: fields,
            columns: ["applyTime", "coin", "amount", "network", "status", "txId"]
        )
    }

    static func historyTool(
        _ gateway: ExchangeGateway,
        name: String,
        title: String,
        summary: String,
        endpoint: Endpoint,
        fields: [DataField],
        columns: [String]
    ) -> Tool {
        let schema = DataShape.object(
            ["coin": DataShape.string, "records": DataShape.array(of: DataShape.object(fields))],
            required: ["coin", "records"]
        )
        return Tool(
            name: name,
            title: title,
            summary: summary,
            group: .wallet,
            parameters: [
                Parameters.coin,
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 1000, default: 100, "Records to return, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["\(name) coin=USDT limit=10"],
            layout: TableLayout(rows: "records", columns: columns, decimalColumns: ["amount"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            try requireWallet(gateway)
            if let start = arguments.integer("start_time"), let end = arguments.integer("end_time"),
                end - start > 90 * 86_400_000
            {
                throw .validation("Invalid time range for \(name): end_time is more than 90 days after start_time.")
            }
            let coin = arguments.string("coin") ?? ""
            var parameters: RequestParameters = ["coin": coin]
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 100)))
            let payload = try await gateway.json(endpoint, parameters)
            return ["coin": .string(coin), "records": .array(try DataShape.mapArray(payload, fields))]
        }
    }

    /// Rejects wallet tools on the testnet venue, because the spot testnet serves no `/sapi` endpoints.
    static func requireWallet(_ gateway: ExchangeGateway) throws(ToolError) {
        guard gateway.venue != .testnet else {
            throw ToolError(
                .configurationError,
                "Wallet endpoints are not available on the testnet venue.",
                hint: "Use the live venue or the simulated exchange for wallet tools."
            )
        }
    }
}
