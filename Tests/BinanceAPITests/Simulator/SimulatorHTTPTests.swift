import BinanceAPI
import Foundation
import Simulator
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The client against the loopback simulator server over real HTTP (libcurl), for every key type.
@Suite(.serialized) struct SimulatorHTTPTests {
    init() {
        setenv("no_proxy", "127.0.0.1,localhost", 1)
        setenv("NO_PROXY", "127.0.0.1,localhost", 1)
    }

    enum KeyType: String, CaseIterable, Sendable {
        case hmac, ed25519, rsa
    }

    static func setUp(_ type: KeyType) throws -> (SimulatorServer, Credentials) {
        let credential: SimulatorCredential
        let signer: any RequestSigner
        switch type {
        case .hmac:
            credential = .hmac(secret: Secret(SimulatedExchange.paperSecret))
            signer = HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
        case .ed25519, .rsa:
            let pem = try type == .rsa ? APITestKeys.rsa() : APITestKeys.ed25519()
            credential = .publicKeyPEM(Secret(try APITestKeys.publicKey(ofPrivate: pem)))
            signer = try PrivateKeySigner(pem: Secret(pem))
        }
        let exchange = try SimulatedExchange(
            options: SimulatorOptions(databasePath: ":memory:", credential: credential)
        )
        let server = try SimulatorServer.start(exchange: exchange)
        return (server, Credentials(apiKey: Secret(SimulatedExchange.paperAPIKey), signer: signer))
    }

    @Test(arguments: KeyType.allCases)
    func signedRequestsAndOrdersWorkOverHTTP(_ type: KeyType) async throws {
        let (server, credentials) = try Self.setUp(type)
        defer { server.stop() }
        let client = BinanceClient(
            configuration: APITestSetup.configuration(baseURL: server.url, credentials: credentials),
            transport: CurlTransport()
        )

        try await client.synchronizeClock()
        let account = try await client.send(.account, as: Account.self)
        let placement = try await client.placeOrder([
            "symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001",
            "newClientOrderId": "sim-\(type)",
        ])

        #expect(await client.status().isClockSynchronized)
        #expect(account.balances.contains { $0.asset == "USDT" })
        guard case .placed(let order) = placement else {
            Issue.record("expected a placed order, got \(placement)")
            return
        }
        #expect(order.clientOrderId == "sim-\(type)")
        let queried = try await client.send(
            .queryOrder,
            ["symbol": "BTCUSDT", "origClientOrderId": "sim-\(type)"],
            as: Order.self
        )
        #expect(queried.orderId == order.orderId)
    }

    @Test func wrongKeyIsRejectedWithInvalidSignature() async throws {
        let (server, _) = try Self.setUp(.hmac)
        defer { server.stop() }
        let wrong = Credentials(
            apiKey: Secret(SimulatedExchange.paperAPIKey),
            signer: HMACSigner(secret: Secret("wrong"))
        )
        let client = BinanceClient(
            configuration: APITestSetup.configuration(baseURL: server.url, credentials: wrong),
            transport: CurlTransport()
        )

        await #expect(throws: BinanceError.self) { try await client.send(.account) }
        do {
            _ = try await client.send(.account)
        } catch {
            guard case .rejected(_, let code, _) = error else {
                Issue.record("expected rejected, got \(error)")
                return
            }
            #expect(code == -1022)
        }
    }

    /// Places a resting order, then cancels it while the fault plan spoils the cancel's answer.
    /// - Returns: the order state `cancelOrder` reports and the state the exchange holds afterwards.
    static func cancelUnderFault(_ kind: SimulatorFaultKind) async throws -> (reported: Order, held: Order) {
        // Requests under /api/v3/order are numbered: 1 places the order, 2 cancels it, 3 and later query it.
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(kind, trigger: .requests([2]), pathPrefix: "/api/v3/order")])
        let exchange = try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:", faults: plan))
        let server = try SimulatorServer.start(exchange: exchange)
        defer { server.stop() }
        var configuration = APITestSetup.configuration(
            baseURL: server.url,
            credentials: Credentials(
                apiKey: Secret(SimulatedExchange.paperAPIKey),
                signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
            )
        )
        configuration.requestTimeout = .seconds(5)
        let client = BinanceClient(configuration: configuration, transport: CurlTransport())

        // A buy 10 % under the market rests on the book and stays inside the symbol's price band.
        let market = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"], as: TickerPrice.self)
        let price = DecimalText.floor(market.price.value * Decimal(string: "0.9")!, toMultipleOf: Decimal(string: "0.01")!)
        let placement = try await client.placeOrder([
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.001",
            "price": DecimalText.format(price), "newClientOrderId": "rest-1",
        ])
        guard case .placed(let placed) = placement else {
            throw BinanceError.decoding("expected a placed order, got \(placement)")
        }
        #expect(placed.status == "NEW")
        let reported = try await client.cancelOrder(["symbol": "BTCUSDT", "origClientOrderId": "rest-1"])
        let held = try await client.send(.queryOrder, ["symbol": "BTCUSDT", "origClientOrderId": "rest-1"], as: Order.self)
        return (reported, held)
    }

    @Test(arguments: [SimulatorFaultKind.dropAfterCommit, .backendTimeout, .truncatedBody])
    func cancelWithLostAnswerReportsCanceled(_ kind: SimulatorFaultKind) async throws {
        let (reported, held) = try await Self.cancelUnderFault(kind)

        #expect(reported.status == "CANCELED")
        #expect(held.status == "CANCELED")
    }

    @Test(arguments: [SimulatorFaultKind.serverError(status: 503), .dropBeforeCommit])
    func cancelThatDidNotActReportsTheOpenOrder(_ kind: SimulatorFaultKind) async throws {
        let (reported, held) = try await Self.cancelUnderFault(kind)

        #expect(reported.status == "NEW")
        #expect(held.status == "NEW")
    }

    /// An order whose connection closes before the exchange reads it is reported unknown and never sent again.
    /// Over a reused connection libcurl resends a DELETE by itself (the cancel test with `dropBeforeCommit`
    /// shows it), so the order must not ride on one either.
    @Test func orderDroppedBeforeTheExchangeReadsItIsNotResent() async throws {
        let plan = SimulatorFaultPlan(rules: [
            SimulatorFault(.dropBeforeCommit, trigger: .requests([1]), pathPrefix: "/api/v3/order")
        ])
        let exchange = try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:", faults: plan))
        let server = try SimulatorServer.start(exchange: exchange)
        defer { server.stop() }
        let credentials = Credentials(
            apiKey: Secret(SimulatedExchange.paperAPIKey),
            signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
        )
        let client = BinanceClient(
            configuration: APITestSetup.configuration(baseURL: server.url, credentials: credentials),
            transport: CurlTransport(),
            clock: ClientClock(now: ClientClock.system.now, sleep: { _ in })
        )

        // Earlier reads leave a kept-alive connection that the order would otherwise reuse.
        _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"], as: TickerPrice.self)
        _ = try await client.send(.account, as: Account.self)
        let placement = try await client.placeOrder([
            "symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001", "newClientOrderId": "once-1",
        ])

        #expect(placement.isUnknown)
        let trades = try await client.send(.myTrades, ["symbol": "BTCUSDT"], as: [MyTrade].self)
        #expect(trades.isEmpty)
    }
}

extension OrderPlacement {
    var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }
}
