import BinanceAPI
import Foundation
import Simulator
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The client against the loopback simulator server over real HTTP (URLSession), for every key type.
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
            transport: URLSessionTransport()
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
            transport: URLSessionTransport()
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
}
