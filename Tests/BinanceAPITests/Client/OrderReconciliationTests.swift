import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct OrderReconciliationTests {
    static let parameters: RequestParameters = [
        "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.001",
        "price": "50000",
    ]

    static func orderJSON(clientOrderID: String, status: String = "NEW") -> String {
        """
        {"symbol":"BTCUSDT","orderId":7,"orderListId":-1,"clientOrderId":"\(clientOrderID)","price":"50000.00",
         "origQty":"0.00100000","executedQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"\(status)",
         "timeInForce":"GTC","type":"LIMIT","side":"BUY","time":1,"updateTime":1,"isWorking":true}
        """
    }

    @Test func generatedClientOrderIDHasPrefixAndValidShape() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(
            .handle { request in
                .json(Self.orderJSON(clientOrderID: request.sentValue("newClientOrderId") ?? ""))
            }
        )

        let placement = try await harness.client.placeOrder(Self.parameters)

        let sent = try #require(harness.transport.requests.first?.sentValue("newClientOrderId"))
        #expect(sent.hasPrefix("bst-"))
        #expect(ClientOrderID.isValid(sent))
        #expect(
            placement
                == .placed(try JSONDecoder().decode(Order.self, from: Data(Self.orderJSON(clientOrderID: sent).utf8)))
        )
    }

    @Test func generatedIDsDiffer() {
        let ids = Set((0..<100).map { _ in ClientOrderID.generate(prefix: "bsm") })

        #expect(ids.count == 100)
        #expect(ids.allSatisfy(ClientOrderID.isValid))
        #expect(ClientOrderID.generate(prefix: "bad prefix!/with-many-characters").hasPrefix("badprefixwit-"))
    }

    @Test(arguments: ["", "has space", "x@y", String(repeating: "a", count: 37), "é"])
    func invalidClientOrderIDIsRejectedBeforeSending(_ id: String) async {
        let harness = ClientHarness()
        var parameters = Self.parameters
        parameters.set("newClientOrderId", id)

        let error = await catchError { _ = try await harness.client.placeOrder(parameters) }

        #expect(
            error
                == .invalidRequest(
                    "newClientOrderId '\(id)' is invalid: expected 1 to 36 characters from A-Z, a-z, 0-9, '-' and '_'."
                )
        )
        #expect(harness.transport.requests.isEmpty)
    }

    @Test func timeoutIsReconciledByQueryWithoutResending() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(
            .fail(.outcomeUnknown("timed out waiting for the server")),
            .respond(.binanceError(-2013, "Order does not exist.")),
            .handle { request in .json(Self.orderJSON(clientOrderID: request.sentValue("origClientOrderId") ?? "")) }
        )

        let placement = try await harness.client.placeOrder(Self.parameters)

        let posts = harness.transport.requests.filter { $0.method == .post }
        let queries = harness.transport.requests.filter { $0.method == .get }
        #expect(posts.count == 1)
        #expect(queries.count == 2)
        let clientOrderID = try #require(posts.first?.sentValue("newClientOrderId"))
        #expect(
            queries.allSatisfy {
                $0.sentValue("origClientOrderId") == clientOrderID && $0.sentValue("symbol") == "BTCUSDT"
            }
        )
        guard case .placed(let order) = placement else {
            Issue.record("expected placed, got \(placement)")
            return
        }
        #expect(order.clientOrderId == clientOrderID)
        #expect(harness.clock.sleeps == [250, 500])
    }

    @Test func orderCancelledInFlightIsReconciled() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(
            .fail(.cancelled),
            .handle { request in .json(Self.orderJSON(clientOrderID: request.sentValue("origClientOrderId") ?? "")) }
        )

        let placement = try await harness.client.placeOrder(Self.parameters)

        let posts = harness.transport.requests.filter { $0.method == .post }
        let queries = harness.transport.requests.filter { $0.method == .get }
        #expect(posts.count == 1)
        #expect(queries.count == 1)
        guard case .placed(let order) = placement else {
            Issue.record("expected placed, got \(placement)")
            return
        }
        #expect(order.clientOrderId == posts.first?.sentValue("newClientOrderId"))
    }

    @Test func unsettledReconciliationReportsUnknown() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(.respond(HTTPResponse(status: 503, body: Data("busy".utf8))))
        for _ in 0..<4 { harness.transport.enqueue(.respond(.binanceError(-2013, "Order does not exist."))) }
        var parameters = Self.parameters
        parameters.set("newClientOrderId", "mine-1")

        let placement = try await harness.client.placeOrder(parameters)

        #expect(
            placement
                == .unknown(
                    clientOrderID: "mine-1",
                    reason: "POST /api/v3/order: HTTP 503; the exchange may have processed the request. "
                        + "The exchange does not know the order yet."
                )
        )
        #expect(harness.transport.requests.filter { $0.method == .post }.count == 1)
        #expect(harness.transport.requests.count == 5)
        #expect(harness.clock.sleeps.reduce(0, +) <= 5000)
    }

    @Test func unknownEngineOutcomeIsReconciled() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(
            .respond(.binanceError(-1007, "Timeout waiting for response from backend server.")),
            .handle { request in
                .json(Self.orderJSON(clientOrderID: request.sentValue("origClientOrderId") ?? "", status: "FILLED"))
            }
        )

        let placement = try await harness.client.placeOrder(Self.parameters)

        guard case .placed(let order) = placement else {
            Issue.record("expected placed, got \(placement)")
            return
        }
        #expect(order.status == "FILLED")
        #expect(harness.transport.requests.filter { $0.method == .post }.count == 1)
    }

    @Test func truncatedOrderResponseIsReconciled() async throws {
        let harness = ClientHarness()
        harness.transport.enqueue(
            .respond(.json(#"{"symbol":"BTCUSDT","orderId":7,"#)),
            .handle { request in .json(Self.orderJSON(clientOrderID: request.sentValue("origClientOrderId") ?? "")) }
        )

        let placement = try await harness.client.placeOrder(Self.parameters)

        guard case .placed = placement else {
            Issue.record("expected placed, got \(placement)")
            return
        }
        #expect(harness.transport.requests.filter { $0.method == .post }.count == 1)
    }

    @Test(arguments: [
        HTTPResponse.binanceError(-2010, "Account has insufficient balance for requested action."),
        HTTPResponse.binanceError(-1013, "Filter failure: PRICE_FILTER"),
    ])
    func rejectionIsThrownWithoutQuery(_ response: HTTPResponse) async {
        let harness = ClientHarness([.respond(response)])

        let error = await catchError { _ = try await harness.client.placeOrder(Self.parameters) }

        guard case .rejected = error else {
            Issue.record("expected rejected, got \(String(describing: error))")
            return
        }
        #expect(harness.transport.requests.count == 1)
    }

    @Test func nothingSentIsThrownWithoutQuery() async {
        let harness = ClientHarness([.fail(.notSent("could not connect to the server"))])

        let error = await catchError { _ = try await harness.client.placeOrder(Self.parameters) }

        #expect(error == .notSent("POST /api/v3/order: could not connect to the server"))
        #expect(harness.transport.requests.count == 1)
    }

    @Test func rejectedCancelReportsTheFinalOrderState() async throws {
        let harness = ClientHarness([
            .respond(.binanceError(-2011, "Unknown order sent.")),
            .respond(.json(Self.orderJSON(clientOrderID: "mine-2", status: "FILLED"))),
        ])

        let order = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "origClientOrderId": "mine-2"])

        #expect(order.status == "FILLED")
        let query = try #require(harness.transport.requests.last)
        #expect(query.method == .get)
        #expect(query.sentValue("origClientOrderId") == "mine-2")
        #expect(harness.transport.requests.count == 2)
    }

    @Test func cancelOfMissingOrderRethrowsTheRejection() async {
        let harness = ClientHarness([
            .respond(.binanceError(-2011, "Unknown order sent.")),
            .respond(.binanceError(-2013, "Order does not exist.")),
        ])

        let error = await catchError {
            _ = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "orderId": "99"])
        }

        #expect(error == .rejected(status: 400, code: -2011, message: "Unknown order sent."))
        #expect(harness.transport.requests.count == 2)
    }

    @Test func successfulCancelReturnsTheOrder() async throws {
        let harness = ClientHarness([.respond(.json(Self.orderJSON(clientOrderID: "c", status: "CANCELED")))])

        let order = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "orderId": "7"])

        #expect(order.status == "CANCELED")
        #expect(harness.transport.requests.count == 1)
        #expect(harness.transport.requests[0].method == .delete)
    }

    @Test(arguments: [
        ScriptedTransport.Step.fail(.outcomeUnknown("timed out waiting for the server")),
        .respond(HTTPResponse(status: 503, body: Data("Service Unavailable".utf8))),
        .respond(.binanceError(-1007, "Timeout waiting for response from backend server.")),
        .respond(.binanceError(-1006, "An unexpected response was received from the message bus.")),
        .respond(.json(#"{"symbol":"BTCUSDT","orderId":7,"#)),
    ])
    func cancelWithUnknownOutcomeReportsTheQueriedState(_ failure: ScriptedTransport.Step) async throws {
        let harness = ClientHarness([failure, .respond(.json(Self.orderJSON(clientOrderID: "mine-3", status: "CANCELED")))])

        let order = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "origClientOrderId": "mine-3"])

        #expect(order.status == "CANCELED")
        #expect(harness.transport.requests.map(\.method) == [.delete, .get])
        #expect(harness.transport.requests[1].sentValue("origClientOrderId") == "mine-3")
        #expect(harness.transport.requests[1].sentValue("symbol") == "BTCUSDT")
        #expect(harness.clock.sleeps == [250])
    }

    @Test func cancelThatNeverArrivedReportsTheOpenOrder() async throws {
        let harness = ClientHarness([
            .fail(.outcomeUnknown("connection lost")),
            .respond(.json(Self.orderJSON(clientOrderID: "mine-4", status: "NEW"))),
        ])

        let order = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "orderId": "7"])

        #expect(order.status == "NEW")
        #expect(harness.transport.requests.filter { $0.method == .delete }.count == 1)
        #expect(harness.transport.requests.last?.sentValue("orderId") == "7")
    }

    @Test func cancelWithUnknownOutcomeAndFailedQueryRethrows() async {
        let harness = ClientHarness([
            .respond(HTTPResponse(status: 502, body: Data())),
            .respond(.binanceError(-2013, "Order does not exist.")),
        ])

        let error = await catchError {
            _ = try await harness.client.cancelOrder(["symbol": "BTCUSDT", "orderId": "7"])
        }

        #expect(error == .outcomeUnknown("DELETE /api/v3/order: HTTP 502; the exchange may have processed the request."))
        #expect(harness.transport.requests.count == 2)
    }

    @Test func cancelRejectionOtherThanUnknownOrderIsNotQueried() async {
        let harness = ClientHarness([.respond(.binanceError(-1102, "Mandatory parameter 'symbol' was not sent."))])

        let error = await catchError { _ = try await harness.client.cancelOrder(["orderId": "7"]) }

        #expect(error == .rejected(status: 400, code: -1102, message: "Mandatory parameter 'symbol' was not sent."))
        #expect(harness.transport.requests.count == 1)
    }
}
