import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct ErrorMappingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let step: ScriptedTransport.Step
        let expected: BinanceError

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "filter failure is rejected",
            step: .respond(.binanceError(-1013, "Filter failure: LOT_SIZE")),
            expected: .rejected(status: 400, code: -1013, message: "Filter failure: LOT_SIZE")
        ),
        Case(
            name: "bad key is rejected",
            step: .respond(.binanceError(-2015, "Invalid API-key, IP, or permissions for action.", status: 401)),
            expected: .rejected(status: 401, code: -2015, message: "Invalid API-key, IP, or permissions for action.")
        ),
        Case(
            name: "firewall block without body is rejected",
            step: .respond(HTTPResponse(status: 403, body: Data("<html>Forbidden</html>".utf8))),
            expected: .rejected(
                status: 403,
                code: 0,
                message: "HTTP 403 (blocked by the exchange's web application firewall)."
            )
        ),
        Case(
            name: "internal server error is unknown",
            step: .respond(HTTPResponse(status: 502, body: Data("Bad Gateway".utf8))),
            expected: .outcomeUnknown("POST /api/v3/order/test: HTTP 502; the exchange may have processed the request.")
        ),
        Case(
            name: "5xx with a Binance body is unknown",
            step: .respond(.binanceError(-1001, "Internal error; unable to process your request.", status: 503)),
            expected: .outcomeUnknown(
                "POST /api/v3/order/test: HTTP 503 (Binance error -1001: Internal error; unable to process your "
                    + "request.); the exchange may have processed the request."
            )
        ),
        Case(
            name: "-1006 is unknown",
            step: .respond(.binanceError(-1006, "An unexpected response was received from the message bus.")),
            expected: .outcomeUnknown(
                "POST /api/v3/order/test: Binance error -1006: An unexpected response was received from the message "
                    + "bus. The order status is unknown until queried."
            )
        ),
        Case(
            name: "-1007 is unknown",
            step: .respond(.binanceError(-1007, "Timeout waiting for response from backend server.")),
            expected: .outcomeUnknown(
                "POST /api/v3/order/test: Binance error -1007: Timeout waiting for response from backend server. "
                    + "The order status is unknown until queried."
            )
        ),
        Case(
            name: "truncated 2xx body is unknown",
            step: .respond(.json(#"{"symbol":"BTCUSDT","orderId":1"#)),
            expected: .outcomeUnknown("POST /api/v3/order/test: the response body is cut short or not JSON.")
        ),
        Case(
            name: "empty 2xx body is unknown",
            step: .respond(HTTPResponse(status: 200)),
            expected: .outcomeUnknown("POST /api/v3/order/test: the response body is cut short or not JSON.")
        ),
        Case(
            name: "connection refused is not sent",
            step: .fail(.notSent("could not connect to the server")),
            expected: .notSent("POST /api/v3/order/test: could not connect to the server")
        ),
        Case(
            name: "timeout is unknown",
            step: .fail(.outcomeUnknown("timed out waiting for the server")),
            expected: .outcomeUnknown("POST /api/v3/order/test: timed out waiting for the server")
        ),
        Case(name: "cancellation is cancelled", step: .fail(.cancelled), expected: .cancelled),
    ]

    @Test(arguments: cases)
    func responseMapsToErrorClass(_ testCase: Case) async {
        let harness = ClientHarness([testCase.step])

        let error = await catchError { _ = try await harness.client.send(.testOrder, ["symbol": "BTCUSDT"]) }

        #expect(error == testCase.expected)
        #expect(harness.transport.requests.count == 1)
    }

    @Test func wrongShapeOf2xxBodyIsADecodingError() async {
        let harness = ClientHarness([.respond(.json(#"{"symbol":"BTCUSDT"}"#))])

        let error = await catchError { _ = try await harness.client.send(.tickerPrice, as: TickerPrice.self) }

        #expect(
            error
                == .decoding(
                    "Unexpected response from GET /api/v3/ticker/price: missing field 'price' at the top level."
                )
        )
    }

    @Test(arguments: [-1013, -1021, -1022, -1100, -1102, -1111, -2010, -2011, -2014, -2015])
    func documentedCodesHaveHints(_ code: Int) throws {
        let hint = try #require(BinanceError.hint(forCode: code))

        #expect(hint.hasSuffix("."))
        #expect(BinanceError.rejected(status: 400, code: code, message: "x").hint == hint)
    }

    @Test func unknownCodesAndOtherErrorsHaveNoHint() {
        #expect(BinanceError.hint(forCode: -9999) == nil)
        #expect(BinanceError.outcomeUnknown("x").hint == nil)
    }
}

@Suite struct ReadRetryTests {
    @Test func readIsRetriedAfterUnknownOutcomes() async throws {
        let harness = ClientHarness([
            .fail(.outcomeUnknown("timed out")),
            .respond(HTTPResponse(status: 504)),
            .respond(.json(#"{"serverTime":5}"#)),
        ])

        let time = try await harness.client.send(.time, as: ServerTime.self)

        #expect(time.serverTime == 5)
        #expect(harness.transport.requests.count == 3)
        #expect(harness.clock.sleeps == [200, 400])
    }

    @Test func readGivesUpAfterThreeRetries() async {
        let harness = ClientHarness(Array(repeating: .fail(.outcomeUnknown("connection lost")), count: 5))

        let error = await catchError { _ = try await harness.client.send(.account) }

        #expect(error == .outcomeUnknown("GET /api/v3/account: connection lost"))
        #expect(harness.transport.requests.count == 4)
    }

    @Test func truncatedReadBodyIsRetried() async throws {
        let harness = ClientHarness([.respond(.json(#"[{"symbol":"#)), .respond(.json("[]"))])

        let orders = try await harness.client.send(.openOrders, as: [Order].self)

        #expect(orders.isEmpty)
        #expect(harness.transport.requests.count == 2)
    }

    @Test(arguments: [Endpoint.testOrder, .cancelOrder, .cancelOpenOrders])
    func writesAreNotRetried(_ endpoint: Endpoint) async {
        let harness = ClientHarness([.fail(.outcomeUnknown("timed out")), .respond(.json("{}"))])

        let error = await catchError { _ = try await harness.client.send(endpoint, ["symbol": "BTCUSDT"]) }

        #expect(error == .outcomeUnknown("\(endpoint): timed out"))
        #expect(harness.transport.requests.count == 1)
    }

    @Test func rejectionsAreNotRetried() async {
        let harness = ClientHarness([.respond(.binanceError(-1121, "Invalid symbol.")), .respond(.json("{}"))])

        let error = await catchError { _ = try await harness.client.send(.depth, ["symbol": "NOPE"]) }

        #expect(error == .rejected(status: 400, code: -1121, message: "Invalid symbol."))
        #expect(harness.transport.requests.count == 1)
    }
}
