import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

struct ToolCatalogTests {
    /// The fifteen tools of the Python "Binance MCP Server", in its order, with its parameter names.
    static let compatible: [(String, [String])] = [
        ("get_ticker_price", ["symbol"]),
        ("get_ticker", ["symbol"]),
        ("get_order_book", ["symbol", "limit"]),
        ("get_available_assets", []),
        ("get_fee_info", ["symbol"]),
        ("get_balance", []),
        ("get_account_snapshot", ["account_type"]),
        ("get_orders", ["symbol", "start_time", "end_time"]),
        ("create_order", ["symbol", "side", "order_type", "quantity", "price"]),
        ("get_position_info", []),
        ("get_pnl", []),
        ("get_liquidation_history", []),
        ("get_deposit_address", ["coin"]),
        ("get_deposit_history", ["coin"]),
        ("get_withdraw_history", ["coin"]),
    ]

    @Test func catalogueHasEveryToolOnceInFixedOrder() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let names = engine.tools.map(\.name)
        #expect(names.count == 27)
        #expect(Set(names).count == names.count)
        #expect(Array(names.prefix(15)) == Self.compatible.map(\.0))
        #expect(names == ToolCall.everyTool.map(\.tool))
    }

    @Test func compatibleToolsKeepPythonParameterNames() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        for (name, parameters) in Self.compatible {
            let tool = try #require(engine.tool(named: name))
            for parameter in parameters {
                #expect(tool.parameter(named: parameter) != nil, "\(name) lacks \(parameter)")
            }
        }
        #expect(engine.tool(named: "get_orders")?.parameter(named: "symbol")?.isRequired == true)
        #expect(engine.tool(named: "get_deposit_address")?.parameter(named: "coin")?.isRequired == true)
    }

    @Test func schemasAreWellFormed() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        for tool in engine.tools {
            #expect(tool.inputSchema["type"] == "object", "\(tool.name) input root")
            #expect(tool.outputSchema["type"] == "object", "\(tool.name) output root")
            #expect(tool.dataSchema["type"] == "object", "\(tool.name) data root")
            #expect(ToolsSchemaChecker.structuralProblems(of: tool.inputSchema) == [], "\(tool.name) input")
            #expect(ToolsSchemaChecker.structuralProblems(of: tool.outputSchema) == [], "\(tool.name) output")
            #expect(!tool.summary.isEmpty)
            #expect(!tool.examples.isEmpty)
        }
    }

    @Test func layoutsNameMembersOfTheData() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        for tool in engine.tools {
            let layout = try #require(tool.layout, "\(tool.name) has no layout")
            var rowSchema = tool.dataSchema
            if let rows = layout.rows {
                let member = try #require(tool.dataSchema["properties"]?[rows], "\(tool.name): no member '\(rows)'")
                if member["type"] == "array" {
                    rowSchema = try #require(member["items"], "\(tool.name): '\(rows)' has no items")
                } else {
                    #expect(member["type"] == "object", "\(tool.name): '\(rows)' is neither an array nor an object")
                    rowSchema = member
                }
            }
            let properties = rowSchema["properties"]?.objectValue ?? [:]
            for column in layout.columns {
                #expect(properties[column] != nil, "\(tool.name): column '\(column)' is not in the data")
            }
            #expect(layout.decimalColumns.isSubset(of: Set(layout.columns)), "\(tool.name)")
        }
    }

    @Test func annotationsMarkWhatChangesState() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let changing: Set<String> = ["create_order", "cancel_order", "cancel_open_orders"]
        for tool in engine.tools {
            #expect(tool.annotations.readOnly == !changing.contains(tool.name), "\(tool.name)")
            #expect(tool.annotations.destructive == changing.contains(tool.name), "\(tool.name)")
        }
        #expect(engine.tool(named: "create_order")?.annotations.idempotent == false)
        #expect(engine.tool(named: "cancel_order")?.annotations.idempotent == true)
        #expect(engine.tool(named: "get_status")?.annotations.openWorld == false)
    }

    @Test func inputSchemaDescribesParameters() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let book = try #require(engine.tool(named: "get_order_book")).inputSchema
        #expect(book["required"] == ["symbol"])
        #expect(book["additionalProperties"] == false)
        #expect(book["properties"]?["limit"]?["type"] == "integer")
        #expect(book["properties"]?["limit"]?["maximum"] == 5000)
        #expect(book["properties"]?["limit"]?["default"] == 100)
        let order = try #require(engine.tool(named: "create_order")).inputSchema
        #expect(order["properties"]?["price"]?["type"] == ["string", "number"])
        #expect(order["properties"]?["side"]?["enum"] == ["BUY", "SELL"])
    }

    @Test func outputSchemaAcceptsFailures() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let tool = try #require(engine.tool(named: "get_ticker_price"))
        let failure = ToolResult.failure(ToolError(.binanceAPIError, "Rejected.", code: -1121, hint: "Check."))
        #expect(ToolsSchemaChecker.violations(of: failure.structured, against: tool.outputSchema) == [])
    }

    @Test(arguments: ToolCall.everyTool)
    func shellAndTypedArgumentsAgree(_ call: ToolCall) async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let tool = try #require(engine.tool(named: call.tool))
        let fromShell = await engine.invoke(call.tool, arguments: ToolsTestEngine.shellArguments(call.shell),
                                            invocation: ToolsTestEngine.invocation(.script))
        let fromMCP = await engine.invoke(call.tool, arguments: call.typed, invocation: ToolsTestEngine.invocation(.mcp))
        #expect(fromShell.isSuccess, "\(fromShell.structured.serialized())")
        #expect(fromShell == fromMCP)
        let data = try #require(fromShell.data)
        #expect(ToolsSchemaChecker.violations(of: data, against: tool.dataSchema) == [])
        #expect(ToolsSchemaChecker.violations(of: fromShell.structured, against: tool.outputSchema) == [])
    }
}
