import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct RequestEncodingTests {
    @Test(arguments: [
        ("a@b.com", "a%40b.com"),
        ("two words", "two%20words"),
        ("1+1", "1%2B1"),
        ("12:30", "12%3A30"),
        ("a/b", "a%2Fb"),
        ("ÄÖü", "%C3%84%C3%96%C3%BC"),
        ("１２３", "%EF%BC%91%EF%BC%92%EF%BC%93"),
        ("0.00000001", "0.00000001"),
        ("12345678901234567890.12345678901234567890", "12345678901234567890.12345678901234567890"),
        ("A-Z_a.z~0", "A-Z_a.z~0"),
        (#"["BTCUSDT","ETHUSDT"]"#, "%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D"),
        ("=&", "%3D%26"),
    ])
    func valueIsPercentEncodedOnce(_ value: String, _ expected: String) {
        #expect(RequestParameters.percentEncode(value) == expected)
        #expect(RequestParameters([("v", value)]).encoded == "v=" + expected)
    }

    @Test func decimalTextNeverUsesExponent() {
        let tiny = DecimalText.parse("0.00000001")!

        #expect(DecimalText.format(tiny) == "0.00000001")
        #expect(DecimalText.format(tiny / 100) == "0.0000000001")
        #expect(DecimalText.parse("1e-8") == nil)
    }

    @Test func fastDecimalParsingMatchesFoundation() {
        for text in ["0", "0.0", "1", "0.00001000", "123456789012345678", "99999999.99999999", "0.000000000000000001"] {
            #expect(DecimalText.parse(text) == Decimal(string: text), "\(text)")
        }
        #expect(DecimalText.parse("-0.5", allowNegative: true) == Decimal(string: "-0.5"))
        #expect(DecimalText.parse("-0", allowNegative: true) == 0)
        #expect(DecimalText.parse("-0.5") == nil)
    }

    func client(_ transport: ScriptedTransport, clock: ClientTestClock = ClientTestClock()) -> BinanceClient {
        BinanceClient(configuration: APITestSetup.configuration(), transport: transport, clock: clock.clientClock)
    }

    @Test func signedGetPutsEverythingInTheQueryWithSignatureLast() async throws {
        let transport = ScriptedTransport([.respond(.json("[]"))])
        let clock = ClientTestClock()

        _ = try await client(transport, clock: clock).send(.openOrders, ["symbol": "BTCUSDT"])

        let request = try #require(transport.requests.first)
        #expect(request.body.isEmpty)
        #expect(request.query.hasPrefix("symbol=BTCUSDT&recvWindow=5000&timestamp=\(clock.now)&signature="))
        #expect(request.sentParameters.last?.name == "signature")
        #expect(request.headers["X-MBX-APIKEY"] == APITestSetup.apiKey)
        let verifier = SignatureVerifier.hmac(secret: Secret(APITestSetup.secret))
        #expect(
            verifier.verify(payload: request.signedPayload, signature: try #require(request.sentValue("signature")))
        )
    }

    @Test func signedPostPutsEverythingInTheFormBody() async throws {
        let transport = ScriptedTransport([.respond(.json("{}"))])
        let parameters: RequestParameters = [
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
            "quantity": "0.00100000", "price": "65000.5", "newClientOrderId": "a@b c+d:e/f",
        ]

        _ = try await client(transport).send(.testOrder, parameters)

        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.query.isEmpty)
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.contains("newClientOrderId=a%40b%20c%2Bd%3Ae%2Ff&"))
        #expect(body.contains("quantity=0.00100000&price=65000.5&"))
        #expect(request.sentParameters.last?.name == "signature")
        #expect(request.sentValue("newClientOrderId") == "a@b c+d:e/f")
        let verifier = SignatureVerifier.hmac(secret: Secret(APITestSetup.secret))
        #expect(
            verifier.verify(payload: request.signedPayload, signature: try #require(request.sentValue("signature")))
        )
    }

    @Test func callerCannotSupplyTimestampOrSignature() async throws {
        let transport = ScriptedTransport([.respond(.json("{}"))])
        let clock = ClientTestClock()
        let parameters: RequestParameters = ["symbol": "BTCUSDT", "signature": "forged", "timestamp": "1"]

        _ = try await client(transport, clock: clock).send(.account, parameters)

        let request = try #require(transport.requests.first)
        #expect(request.sentParameters.filter { $0.name == "signature" }.count == 1)
        #expect(request.sentValue("signature") != "forged")
        #expect(request.sentValue("timestamp") == String(clock.now))
        #expect(request.sentParameters.last?.name == "signature")
    }

    @Test func publicRequestIsNotSigned() async throws {
        let transport = ScriptedTransport([.respond(.json(#"{"symbol":"BTCUSDT","price":"1.00"}"#))])

        let price = try await client(transport).send(.tickerPrice, ["symbol": "BTCUSDT"], as: TickerPrice.self)

        let request = try #require(transport.requests.first)
        #expect(price.price.value == 1)
        #expect(request.query == "symbol=BTCUSDT")
        #expect(request.headers["X-MBX-APIKEY"] == nil)
    }

    @Test func signedRequestWithoutCredentialsIsRejectedLocally() async {
        let transport = ScriptedTransport()
        let client = BinanceClient(
            configuration: APITestSetup.configuration(credentials: nil),
            transport: transport,
            clock: ClientTestClock().clientClock
        )

        await #expect(
            throws: BinanceError.invalidRequest("Endpoint GET /api/v3/account needs an API key; none is configured.")
        ) {
            try await client.send(.account)
        }
        #expect(transport.requests.isEmpty)
    }
}

/// Signing for all three key types, checked the way a server checks it: over the raw bytes received.
@Suite struct EndToEndSigningTests {
    enum KeyType: String, CaseIterable, Sendable {
        case hmac, ed25519, rsa
    }

    static func credentials(_ type: KeyType) throws -> (Credentials, SignatureVerifier) {
        switch type {
        case .hmac:
            return (APITestSetup.hmacCredentials, .hmac(secret: Secret(APITestSetup.secret)))
        case .ed25519, .rsa:
            let pem = try type == .rsa ? APITestKeys.rsa() : APITestKeys.ed25519()
            let signer = try PrivateKeySigner(pem: Secret(pem))
            let publicPEM = try APITestKeys.publicKey(ofPrivate: pem)
            return (Credentials(apiKey: Secret("key"), signer: signer), try .publicKey(pem: Secret(publicPEM)))
        }
    }

    @Test(arguments: KeyType.allCases)
    func serverAcceptsSignatureOfEveryKeyType(_ type: KeyType) async throws {
        let (credentials, verifier) = try Self.credentials(type)
        let transport = ScriptedTransport(fallback: { request in
            guard let signature = request.sentValue("signature"),
                verifier.verify(payload: request.signedPayload, signature: signature)
            else { return .binanceError(-1022, "Signature for this request is not valid.") }
            return .json("{}")
        })
        let client = BinanceClient(
            configuration: APITestSetup.configuration(credentials: credentials),
            transport: transport,
            clock: ClientTestClock().clientClock
        )
        let awkward: RequestParameters = [
            "symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.00000001",
            "price": "12345678901234567890.12345678", "newClientOrderId": "x@y z+1:2/3-Ä",
        ]

        _ = try await client.send(.testOrder, awkward)
        _ = try await client.send(.myTrades, awkward)

        #expect(transport.requests.count == 2)
        let tampered = transport.requests[0].signedPayload + Array("&x=1".utf8)
        #expect(
            !verifier.verify(payload: tampered, signature: try #require(transport.requests[0].sentValue("signature")))
        )
    }
}
