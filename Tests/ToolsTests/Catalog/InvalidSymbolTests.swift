import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

/// Binance's -1121 "Invalid symbol." does not say which symbol it means, so the result names the one sent.
@Suite struct InvalidSymbolTests {
    private static let rejection = #"{"code":-1121,"msg":"Invalid symbol."}"#

    @Test func priceRejectionQuotesSymbol() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/api/v3/ticker/price", status: 400, json: Self.rejection)
        let engine = try ToolsTestEngine.make(transport: exchange)

        let result = await engine.invoke(
            "get_ticker_price",
            arguments: ["symbol": "BTCUSDX"],
            invocation: ToolsTestEngine.invocation()
        )

        #expect(!result.isSuccess)
        #expect(result.error?["type"] == "binance_api_error")
        #expect(result.error?["code"] == .int(-1121))
        #expect(
            result.error?["message"]
                == "Invalid symbol 'BTCUSDX': the exchange does not list it (Binance error -1121: Invalid symbol.)"
        )
        #expect(result.error?["hint"] == "List valid symbols with get_available_assets search=BTC.")
    }

    @Test func futuresRejectionPointsToFuturesRules() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/fapi/v1/premiumIndex", status: 400, json: Self.rejection)
        let engine = try ToolsTestEngine.make(transport: exchange)

        let result = await engine.invoke(
            "get_funding_rate",
            arguments: ["symbol": "ETHUSDX"],
            invocation: ToolsTestEngine.invocation()
        )

        #expect(
            result.error?["message"]
                == "Invalid symbol 'ETHUSDX': the exchange does not list it (Binance error -1121: Invalid symbol.)"
        )
        #expect(
            result.error?["hint"]
                == "Check it with get_symbol_info symbol=ETHUSDX market=FUTURES."
        )
    }

    @Test func cancelOnSimulatorQuotesSymbol() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())

        let result = await engine.invoke(
            "cancel_order",
            arguments: ["symbol": "BTCUSDX", "order_id": .int(5)],
            invocation: ToolsTestEngine.invocation()
        )

        #expect(result.error?["code"] == .int(-1121), "\(result.structured)")
        let message = result.error?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("Invalid symbol 'BTCUSDX': the exchange does not list it"), "\(message)")
    }

    @Test func otherRejectionIsUnchanged() {
        let error = ToolError(
            binance: .rejected(status: 400, code: -2013, message: "Order does not exist."),
            endpoint: .queryOrder,
            symbol: "BTCUSDT"
        )

        #expect(error == ToolError(binance: .rejected(status: 400, code: -2013, message: "Order does not exist."),
                                   endpoint: .queryOrder))
    }

    @Test func rejectionWithoutSymbolKeepsText() {
        let error = ToolError(
            binance: .rejected(status: 400, code: -1121, message: "Invalid symbol."),
            endpoint: .tickerPrice,
            symbol: nil
        )

        #expect(error.message == "Binance rejected the request with code -1121: Invalid symbol.")
    }
}
