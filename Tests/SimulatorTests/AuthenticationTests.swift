import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

@Suite struct AuthenticationTests {
    static let ed25519PEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u
        -----END PRIVATE KEY-----

        """
    static let ed25519PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=
        -----END PUBLIC KEY-----

        """
    /// A 2048-bit RSA key generated for these tests only.
    static let rsaPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCrBUx5kMkwN2ra
        2sbYHGzuPdlx2/vIasSIt07xa1yKv8EqwZg6EBsuBg7qVIWcUWWC+Oj7pCfZofQj
        fz+ffo9/DusPyUBOhdrZabukIbCjJnidmaCvvKhRRITJxVMtCmIwjc0I+q0Imc5x
        a9pXFH6ySnbElFPy3EkFuH5pwomxbGbBWeCV+KIQyf0IqwylHwRyG5vQq5SyJ8U/
        Fq5Y6AXi4+eW/jVzhUia58xJ2WLUwVNq3wlgl9U9G6wsV7aJ7CmIrOBjriif4ZnP
        yv5gAeDXoSUq0f5YCmXUczB44Ghtgnbw2pmyiyw+EABEy2d1W8JgSqDkiCxnWceP
        EAQnUZ/BAgMBAAECgf8IeVvSPGVlL09nmZ+TTZHQbZHb8/SxXGbSWxepUw9BUaL5
        HObYQJms7llua0FOZuEHfrp2KpJpvIUSpCAK7kXx3VpKjwlVO5eFzQ6NprGY3Qor
        PFWiZoBxdt3a88M+IdM0Wy/KACp2pr7dRl4UIodo74BJHp1jWjU6kIbsGapqsg7Y
        Eaa4ZUfMoILm3vCkXfc+CTVtYzC/TyIy3GcsgC4pM9mGAVcphNKKBvPToRlAeabl
        2vxldSYfSeFYwsb4SCDNe+a0Fje7si4+LFBUs+40pGRwx7fclqvJgRaiuD9xKast
        BroAdRp3U6vRQgXMVa4bLeCEDB5qhfbtnIUdCmECgYEA62AakWALLAqjO4qUvH7G
        uBmwsk9VZzCAB7dIJU9YiSauyAk0NcFWqMfcGof4slxXsjt7IOBlGlqR+1Vmi8HT
        gNUEXV4I69rJRMrUPjfBN5xBGRA3/tXe2eCgr+Cx0BlM0C6zjnpe425XlyyON1sG
        gROmxo6EmfsY4SBd/49ViqECgYEAugGaOJV5RDRNUJm+EzVnN8fFil41jBAgm4Ez
        hTdX5eEn+JzwHQJ9wGLOOoLQjg01c/PFgFIFQuVMiLqYR/6O6t8cPdqlEpX8KDsr
        kmnQGs8sOuk3zUuJeDNOSii6IEWDrsDPM7KX1HhtC4VLEZ6RNvhyfSKdmgNAXA0h
        WJrsISECgYAXXqxkoL+bONcqM0E/UesTHmHf4madX0BnA7ijE7S7sV6LN/a6G58q
        FOXysGtt8iM27Bb2lbEUI8f4x2ruF2mTkhLj3lFOcaOoM+dM4iZKCjagcW7N25hL
        07TAobOl8M0ionBrhhTjyfHibacVMfF8YWIetsnNrBO1ToxmsmmQ4QKBgQCptw6V
        NGUqQyKMOUtB0Yc1URS/1Ie9HXXzDScKFN4hhJfo8qDvhzdgE4chwfwysICmJLV/
        CNd+GyQC2WZawjx6t0nYcigN1kX2G079T4iu/XrY4bSln5d10jJL3e89xM+K4qfr
        /rckCSFN0rgVAn5zDqu/25a7UN4nX1+erfRnoQKBgQDXmMra1+IUNuF6YHK7IZHq
        aTpkEsW4rPyaUPQpDLiWdNRssqnkz2yKMm0tKI4wH4BE+RYzIExt/8oo/pxsXjF/
        w9ALiMzqxYWKsy/G4+zYCTpDkgiZAGKh3E9v55JAL7g4yimXjzggiRfcNN4lg/xb
        d9i/AzWrJKzjbD0hMlMNCg==
        -----END PRIVATE KEY-----

        """

    private func expectError(_ response: HTTPResponse, status: Int, code: Int, message: String) {
        #expect(response.status == status)
        let error = SimTestClient.error(response)
        #expect(error?.code == code)
        #expect(error?.message == message)
    }

    @Test func accountAcceptsValidSignature() async throws {
        let client = try SimTestClient.make()
        let response = await client.signed(.get, "/api/v3/account")
        #expect(response.status == 200)
    }

    @Test func missingKeyIsFormatError() async throws {
        let client = try SimTestClient.make()
        let query = "timestamp=\(SimTestClient.startTime)"
        let response = await client.raw(.get, "/api/v3/account", query: query + "&signature=" + client.sign(query), apiKey: "")
        expectError(response, status: 401, code: -2014, message: "API-key format invalid.")
    }

    @Test func unknownKeyIsRejected() async throws {
        let client = try SimTestClient.make()
        let query = "timestamp=\(SimTestClient.startTime)"
        let response = await client.raw(.get, "/api/v3/account", query: query + "&signature=" + client.sign(query), apiKey: "someOtherKey")
        expectError(response, status: 401, code: -2015, message: "Invalid API-key, IP, or permissions for action.")
    }

    @Test func wrongSignatureIsRejected() async throws {
        let client = try SimTestClient.make()
        let query = "timestamp=\(SimTestClient.startTime)"
        let wrong = client.sign("timestamp=\(SimTestClient.startTime + 1)")
        let response = await client.raw(.get, "/api/v3/account", query: query + "&signature=" + wrong)
        expectError(response, status: 400, code: -1022, message: "Signature for this request is not valid.")
    }

    @Test func tamperedParameterFailsSignature() async throws {
        let client = try SimTestClient.make()
        let signedText = "symbol=BTCUSDT&timestamp=\(SimTestClient.startTime)"
        let sent = "symbol=ETHUSDT&timestamp=\(SimTestClient.startTime)"
        let response = await client.raw(.get, "/api/v3/openOrders", query: sent + "&signature=" + client.sign(signedText))
        expectError(response, status: 400, code: -1022, message: "Signature for this request is not valid.")
    }

    @Test func missingSignatureIsMandatory() async throws {
        let client = try SimTestClient.make()
        let response = await client.raw(.get, "/api/v3/account", query: "timestamp=\(SimTestClient.startTime)")
        expectError(response, status: 400, code: -1102, message: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")
    }

    @Test func missingTimestampIsMandatory() async throws {
        let client = try SimTestClient.make()
        let query = "recvWindow=5000"
        let response = await client.raw(.get, "/api/v3/account", query: query + "&signature=" + client.sign(query))
        expectError(response, status: 400, code: -1102, message: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.")
    }

    @Test func timestampAheadIsRejected() async throws {
        let client = try SimTestClient.make()
        let ahead = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime + 1000)
        expectError(ahead, status: 400, code: -1021, message: "Timestamp for this request was 1000ms ahead of the server's time.")
        let justInside = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime + 999)
        #expect(justInside.status == 200)
    }

    @Test func timestampOutsideWindowIsRejected() async throws {
        let client = try SimTestClient.make()
        let old = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime - 5001)
        expectError(old, status: 400, code: -1021, message: "Timestamp for this request is outside of the recvWindow.")
        let atEdge = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime - 5000)
        #expect(atEdge.status == 200)
        let wider = await client.signed(.get, "/api/v3/account", [("recvWindow", "10000")], timestamp: SimTestClient.startTime - 9000)
        #expect(wider.status == 200)
    }

    @Test func recvWindowAboveMaximumIsRejected() async throws {
        let client = try SimTestClient.make()
        let response = await client.signed(.get, "/api/v3/account", [("recvWindow", "60001")])
        expectError(response, status: 400, code: -1102, message: "'recvWindow' contains unexpected value. Cannot be greater than 60000.")
        let maximum = await client.signed(.get, "/api/v3/account", [("recvWindow", "60000")])
        #expect(maximum.status == 200)
    }

    @Test func microsecondTimestampIsAccepted() async throws {
        let client = try SimTestClient.make()
        let response = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime * 1000 + 123)
        #expect(response.status == 200)
    }

    @Test func signatureInBodyIsAccepted() async throws {
        let client = try SimTestClient.make()
        let response = await client.signed(
            .post, "/api/v3/order/test",
            [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")],
            inBody: true
        )
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{}")
    }

    @Test func queryAndBodyAreSignedTogether() async throws {
        let client = try SimTestClient.make()
        let query = "symbol=BTCUSDT&side=BUY"
        let body = "type=MARKET&quantity=0.001&timestamp=\(SimTestClient.startTime)"
        let signature = client.sign(query + body)
        let response = await client.raw(.post, "/api/v3/order/test", query: query, body: body + "&signature=" + signature)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let separated = client.sign(query + "&" + body)
        let rejected = await client.raw(.post, "/api/v3/order/test", query: query, body: body + "&signature=" + separated)
        #expect(SimTestClient.error(rejected)?.code == -1022)
    }

    @Test func upperCaseHexSignatureIsAccepted() async throws {
        let client = try SimTestClient.make()
        let query = "timestamp=\(SimTestClient.startTime)"
        let response = await client.raw(.get, "/api/v3/account", query: query + "&signature=" + client.sign(query).uppercased())
        #expect(response.status == 200)
    }

    @Test func rawBytesAreVerifiedWithoutReencoding() async throws {
        let client = try SimTestClient.make()
        // Lower-case escapes and an unusual parameter order: the payload is the bytes as sent.
        let query = "timestamp=\(SimTestClient.startTime)&symbols=%5b%22BTCUSDT%22%5d"
        let response = await client.raw(.get, "/sapi/v1/asset/tradeFee", query: "symbol=BTCUSDT&" + query + "&signature=" + client.sign("symbol=BTCUSDT&" + query))
        // The signature covers the bytes as sent, so it verifies; the unread 'symbols' is then rejected.
        #expect(SimTestClient.error(response)?.code == -1104)
    }

    @Test func documentedHMACVectorVerifies() throws {
        let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        let verifier = SignatureVerifier.hmac(secret: Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))
        let bytes = ExchangeEngine.signedPayload(query: payload + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", body: Data())
        #expect(String(decoding: bytes, as: UTF8.self) == payload)
        #expect(verifier.verify(payload: bytes, signature: "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"))
    }

    @Test func ed25519SignatureVerifies() async throws {
        let signer = try PrivateKeySigner(pem: Secret(Self.ed25519PEM))
        let client = try SimTestClient.make(credential: .publicKeyPEM(Secret(Self.ed25519PublicPEM)), signer: signer)
        let response = await client.signed(.get, "/api/v3/account")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let hmacClient = SimTestClient(exchange: client.exchange, apiKey: client.apiKey, secret: "not-the-key", clock: client.clock)
        let rejected = await hmacClient.signed(.get, "/api/v3/account")
        #expect(SimTestClient.error(rejected)?.code == -1022)
    }

    @Test func rsaSignatureVerifies() async throws {
        let signer = try PrivateKeySigner(pem: Secret(Self.rsaPEM))
        let client = try SimTestClient.make(credential: .publicKeyPEM(Secret(Self.rsaPEM)), signer: signer)
        let response = await client.signed(.post, "/api/v3/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let ed25519 = try PrivateKeySigner(pem: Secret(Self.ed25519PEM))
        let wrongKey = SimTestClient(exchange: client.exchange, apiKey: client.apiKey, secret: "", clock: client.clock, signer: ed25519)
        let rejected = await wrongKey.signed(.get, "/api/v3/account")
        #expect(SimTestClient.error(rejected)?.code == -1022)
    }

    @Test func invalidKeyPEMFailsToOpen() {
        #expect(throws: (any Error).self) {
            try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:", credential: .publicKeyPEM(Secret("not a key"))))
        }
    }
}
