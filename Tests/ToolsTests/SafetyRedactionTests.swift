import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

private let key = SafetyFixtures.canaryKey
private let secret = SafetyFixtures.canarySecret
/// A throwaway Ed25519 key made for this test with `openssl genpkey -algorithm ed25519`.
private let pem = """
    -----BEGIN PRIVATE KEY-----
    MC4CAQAwBQYDK2VwBCIEIHRLpknEYZYLVvm9O2O5XZIcjj0e/9/WVkEltHxIOlk3
    -----END PRIVATE KEY-----
    """
private let pemBody = "MC4CAQAwBQYDK2VwBCIEIHRLpknEYZYLVvm9O2O5XZIcjj0e/9/WVkEltHxIOlk3"

private let redactor = Redactor(secrets: [key, secret, pem])

/// Text shapes in which a secret may leak, each holding the canary key, secret or PEM body in some form.
private let leakingShapes: [String] = [
    key,
    secret,
    "prefix\(secret)suffix",
    "GET /api/v3/account?timestamp=1&recvWindow=5000&signature=\(HexEncoding.encode(Array(secret.utf8)))",
    "X-MBX-APIKEY: \(key)",
    "x-mbx-apikey=\(key)",
    #"{"headers":{"X-MBX-APIKEY":"\#(key)"}}"#,
    #"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action. apiKey=\#(key)"}"#,
    #"{"code":-1022,"msg":"Signature for this request is not valid: \#(secret)"}"#,
    RequestParameters.percentEncode(secret),
    HexEncoding.encode(Array(secret.utf8)),
    HexEncoding.encode(Array(secret.utf8)).uppercased(),
    Data(secret.utf8).base64EncodedString(),
    Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"),
    "The key starts with \(key.prefix(16)) and that is all.",
    "…and ends with \(secret.suffix(16))",
    JSONValue.string(pem).serialized(),
    pem,
    "key file line: \(pemBody)",
    "body \(pemBody.replacingOccurrences(of: "/", with: "%2F"))x",
]

/// Text that contains no secret and must come out unchanged.
private let harmlessTexts: [String] = [
    "token",
    "The access token expired; request a new token.",
    "Signature for this request is not valid.",
    "signature",
    "secret: none",
    "BTCUSDT price 0.00001000 quantity 1234.5678",
    "orderId 28457283958123456, clientOrderId bsh-2b7c1e0f-6a8d-4f67-9c1b-3e5d7a9b1c2d",
    "txId 98A3EA560C6B3336D348B6C83F0F95ECE4F1F5919E94BD006E5BF3BF264FACFC",
    "txId 0xb5ef8c13b968a406cc62a93a8bd80f9e9a906ef1b3fcf20a2e48573c17659268",
    "address 0x52908400098527886E0F7030069857D2E4169EE7",
    "address 1HPn8Rx2y6nNSfagQBKy27GB99Vbzg89wv",
    "Invalid symbol 'BTC/USDT': expected 2 to 20 letters and digits.",
    "listenKey expired",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----",
]

@Suite struct SafetyRedactionTests {
    @Test(arguments: leakingShapes.indices)
    func knownSecretIsRemovedFromEveryShape(index: Int) {
        let text = leakingShapes[index]

        let redacted = redactor.redact(text)

        #expect(!redacted.contains(key), "\(redacted)")
        #expect(!redacted.contains(secret), "\(redacted)")
        #expect(!redacted.contains(pemBody), "\(redacted)")
        #expect(!redacted.contains(String(secret.prefix(16))), "\(redacted)")
        #expect(!redacted.contains(String(key.suffix(16))), "\(redacted)")
        #expect(!redacted.contains(HexEncoding.encode(Array(secret.utf8))), "\(redacted)")
        #expect(redacted.contains("[REDACTED"), "\(redacted)")
    }

    @Test(arguments: harmlessTexts)
    func harmlessTextIsUnchanged(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func unknownKeysAreRemovedByShape() {
        let shapeOnly = Redactor()
        // Binance's documented example key and secret, which this redactor was not given.
        let exampleKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
        let exampleSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

        #expect(shapeOnly.redact("key \(exampleKey) ok") == "key [REDACTED] ok")
        #expect(shapeOnly.redact("secret=\(exampleSecret)") == "secret=[REDACTED]")
        #expect(shapeOnly.redact("a=1&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71") == "a=1&signature=[REDACTED]")
        #expect(shapeOnly.redact("X-MBX-APIKEY: abcdefgh12345678") == "X-MBX-APIKEY: [REDACTED]")
        #expect(shapeOnly.redact(pem) == "[REDACTED PRIVATE KEY]")
    }

    @Test func sensitiveMembersAreReplacedInJSON() {
        let value: JSONValue = .object([
            "signature": .string("abc"),
            "apiKey": .string("anything"),
            "X-MBX-APIKEY": .string("anything"),
            "token": .string("kept-token-value"),
            "symbol": .string("BTCUSDT"),
            "price": .number(Decimal(string: "0.00001")!),
            "nested": .array([.object(["msg": .string("echo \(secret)")])]),
        ])

        let redacted = Redactor(secrets: [secret]).redact(value)

        #expect(redacted["signature"] == .string("[REDACTED]"))
        #expect(redacted["apiKey"] == .string("[REDACTED]"))
        #expect(redacted["X-MBX-APIKEY"] == .string("[REDACTED]"))
        #expect(redacted["token"] == .string("kept-token-value"))
        #expect(redacted["symbol"] == .string("BTCUSDT"))
        #expect(redacted["price"] == .number(Decimal(string: "0.00001")!))
        #expect(redacted["nested"] == .array([.object(["msg": .string("echo [REDACTED]")])]))
    }

    @Test func errorResultEchoingTheSecretIsRedacted() {
        let error = ToolError(
            .binanceAPIError,
            "Binance rejected the request: Signature for this request is not valid. (signature=\(secret))",
            code: -1022,
            hint: "Check the key \(key).",
            details: ["echo": .string(secret)]
        )

        let text = redactor.redact(ToolResult.failure(error)).structured.serialized()

        #expect(!text.contains(secret))
        #expect(!text.contains(key))
        #expect(text.contains("Signature for this request is not valid."))
    }

    @Test func redactorFromConfigurationReadsTheKeyFile() throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let path = directory + "/key.pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try SafetyFixtures.configuration(
            ["BINANCE_API_KEY": key, "BINANCE_PRIVATE_KEY_FILE": path],
            home: directory
        )

        let fromConfiguration = Redactor(configuration: configuration)

        #expect(fromConfiguration.redact("line \(pemBody)") == "line [REDACTED]")
        #expect(fromConfiguration.redact("k \(key.prefix(20))") == "k [REDACTED]")
    }
}

/// Returns the first run of 8 characters of `secret` that occurs in `text`, or nil.
func leakedFragment(of secret: String, in text: String) -> String? {
    SafetyFixtures.leakedFragment(of: [secret], in: text)
}

@Suite struct SafetyFragmentRedactionTests {
    @Test func clientOrderIDMadeOfTheSecretIsRedacted() {
        let clientOrderID = String(secret.prefix(36))

        let redacted = redactor.redact("Order '\(clientOrderID)' was accepted.")

        #expect(redacted == "Order '[REDACTED]' was accepted.")
    }

    @Test(arguments: [
        (0, 8), (0, 20), (10, 8), (27, 12), (56, 8), (40, 24),
    ])
    func fragmentAnywhereInTheSecretIsRedacted(start: Int, length: Int) {
        let fragment = String(Array(secret)[start..<(start + length)])

        // '#' and '!' occur in no secret, so the redacted run ends exactly at the fragment.
        let redacted = redactor.redact("id=#\(fragment)!")

        #expect(redacted == "id=#[REDACTED]!")
        #expect(leakedFragment(of: secret, in: redacted) == nil)
    }

    @Test func sevenCharactersOfTheSecretStay() {
        let fragment = String(secret.dropFirst(20).prefix(7))

        #expect(redactor.redact("order \(fragment) ok") == "order \(fragment) ok")
    }

    @Test func fragmentsOfKeyAndSecretSideBySideAreBothRedacted() {
        let text = "a" + String(key.dropFirst(5).prefix(10)) + String(secret.dropFirst(30).prefix(9)) + "z"

        #expect(redactor.redact(text) == "a[REDACTED]z")
    }

    @Test func encodedFragmentsAreRedacted() {
        let hexOfPart = HexEncoding.encode(Array(secret.dropFirst(12).prefix(10).utf8))
        let base64OfShifted = Data(("x" + secret).utf8).base64EncodedString()
        let base64OfPart = String(base64OfShifted.dropFirst(8).prefix(20))

        #expect(redactor.redact("h=\(hexOfPart)") == "h=[REDACTED]")
        #expect(redactor.redact("b=\(base64OfPart)") == "b=[REDACTED]")
    }

    @Test func pemFragmentNeedsSixteenCharacters() {
        let sixteen = String(pemBody.dropFirst(30).prefix(16))
        let fifteen = String(pemBody.dropFirst(30).prefix(15))

        #expect(redactor.redact("k \(sixteen) k") == "k [REDACTED] k")
        #expect(redactor.redact("k \(fifteen) k") == "k \(fifteen) k")
    }

    @Test(arguments: [
        "token", "the token expired", "BTCUSDT", "ETHBTC", "1INCHUSDT", "0.00001000", "70000.12",
        "28457283958123456", "bsh-2b7c1e0f-6a8d-4f67-9c1b-3e5d7a9b1c2d", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA",
        "x_AIG7UCdrmYzSNCjpLsVw", "Secret", "Canary",
    ])
    func ordinaryValuesSurvive(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func everyOutputPathRedactsAFragment() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let logs = LogCollector()
        let securityLines = LineCollector()
        let configuration = try SafetyFixtures.configuration(SafetyFixtures.liveEnvironment, home: home.path)
        let redactor = Redactor(configuration: configuration)
        let engine = SafetyFixtures.engine(
            configuration,
            transport: RecordingTransport(),
            securityEventSink: securityLines.append
        )
        let fragment = String(SafetyFixtures.canarySecret.dropFirst(3).prefix(30))
        let invocation = SafetyFixtures.invocation(.mcp)

        let success = await engine.invoke("test_echo", arguments: ["text": .string("ok \(fragment)")], invocation: invocation)
        let failure = await engine.invoke(
            "test_echo",
            arguments: ["text": .string("bad \(fragment)"), "fail": .bool(true)],
            invocation: invocation
        )
        let invalid = await engine.invoke("test_echo", arguments: ["text": .array([.string(fragment)])], invocation: invocation)
        let unknown = await engine.invoke("tool_\(fragment)", arguments: [:], invocation: invocation)
        logs.logger.redacting(with: redactor).error("failed \(fragment)", ["value": "v \(fragment)"])
        let auditText = AuditLog.auditFiles(in: home.path)
            .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            .joined(separator: "\n")

        let outputs = [success, failure, invalid, unknown].map { $0.structured.serialized() }
            + [auditText, logs.text] + securityLines.lines
        #expect(securityLines.lines.count >= 4)
        for output in outputs {
            #expect(leakedFragment(of: SafetyFixtures.canarySecret, in: output) == nil, "\(output.prefix(300))")
        }
        #expect(success.structured["data"]?["text"] == .string("ok [REDACTED]"))
    }

    @Test func sensitiveNameOfStringMatchesBytes() {
        let names = [
            "signature", "Signature", "SIGNATURE", "signatures", "sig", "", "-", "_", "apiKey", "api_key", "API-KEY",
            "a_p_i_k_e_y", "X-MBX-APIKEY", "x_mbx_apikey", "xmbxapikeyx", "apiSecret", "secret", "secret_key",
            "Secret-Key", "secretKeys", "privateKey", "private_key_file", "password", "pass_word", "passwor",
            "listenKey", "listen-key", "symbol", "price", "clientOrderId", "clé", "пароль",
        ]
        for name in names {
            #expect(Redactor.isSensitiveName(name) == Redactor.isSensitiveName(Array(name.utf8)), "\(name)")
        }
    }

    @Test func jsonRedactionMatchesFullRebuild() {
        let secretRedactor = Redactor(secrets: [key, secret])
        // The reference: redacts every string and rebuilds every container.
        func rebuilt(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let text):
                return .string(secretRedactor.redact(text))
            case .array(let elements):
                return .array(elements.map(rebuilt))
            case .object(let members):
                var result: [String: JSONValue] = [:]
                for (name, member) in members {
                    let sensitive = Redactor.isSensitiveName(Array(name.utf8)) && member != .null && member != .string("")
                    result[secretRedactor.redact(name)] = sensitive ? .string(Redactor.replacement) : rebuilt(member)
                }
                return .object(result)
            case .null, .bool, .number:
                return value
            }
        }
        let values: [JSONValue] = [
            .null,
            .string("BTCUSDT"),
            .string("echo \(secret)"),
            .array([.string("a"), .string("b"), .string("key \(key)"), .int(3), .string("c")]),
            .array([.array([.string("plain text of some length")]), .array([.string("x\(secret.prefix(12))")])]),
            .object(["balances": .array([.object(["asset": .string("USDT"), "free": .number(Decimal(string: "1.5")!)])])]),
            .object(["signature": .string("abc"), "apiKey": .null, "secret": .string(""), "msg": .string("ok")]),
            .object(["\(secret.prefix(10))": .string("value"), "other": .bool(true)]),
            .object(["nested": .object(["deeper": .array([.string("clean"), .string("\(key.suffix(9))")])])]),
        ]
        for value in values {
            #expect(secretRedactor.redact(value) == rebuilt(value), "\(value.serialized())")
        }
    }

    /// Prints the redactor's cost per call for a typical result string and a 4 KiB one; a figure, not a check.
    @Test func redactorCostIsPrinted() {
        let short = "Order 28457283958123456 of BTCUSDT filled at 70000.12 for 0.00100000 BTC."
        let long = String(repeating: "price 70000.12 quantity 0.001 symbol BTCUSDT; ", count: 90)
        for (name, text) in [("short", short), ("4 KiB", long)] {
            let iterations = 2_000
            let clock = ContinuousClock()
            var unchanged = 0
            let elapsed = clock.measure {
                for _ in 0..<iterations where redactor.redact(text) == text { unchanged += 1 }
            }
            #expect(unchanged == iterations)
            let nanoseconds = Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9
            print("redactor \(name) (\(text.utf8.count) bytes): \(Int(nanoseconds / Double(iterations))) ns per call")
        }
    }
}
