import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct PrivateKeySignerTests {
    static let payload = Array(
        "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918".utf8
    )

    @Test func ed25519MatchesOpenSSLAndVerifies() throws {
        let pem = try APITestKeys.ed25519()
        let signer = try PrivateKeySigner(pem: Secret(pem))

        let signature = try signer.signature(for: Self.payload)

        #expect(signer.algorithm == "Ed25519")
        #expect(Base64.decode(signature)?.count == 64)
        #expect(signature == (try APITestKeys.opensslSignature(privateKey: pem, payload: Self.payload, isRSA: false)))
        let publicPEM = try APITestKeys.publicKey(ofPrivate: pem)
        #expect(
            try SignatureVerifier.publicKey(pem: Secret(publicPEM)).verify(payload: Self.payload, signature: signature)
        )
        #expect(try SignatureVerifier.publicKey(pem: Secret(pem)).verify(payload: Self.payload, signature: signature))
    }

    @Test func rsaMatchesOpenSSLAndVerifies() throws {
        let pem = try APITestKeys.rsa()
        let signer = try PrivateKeySigner(pem: Secret(pem))

        let signature = try signer.signature(for: Self.payload)

        #expect(signer.algorithm == "RSA")
        #expect(Base64.decode(signature)?.count == 256)
        #expect(signature == (try APITestKeys.opensslSignature(privateKey: pem, payload: Self.payload, isRSA: true)))
        let publicPEM = try APITestKeys.publicKey(ofPrivate: pem)
        #expect(publicPEM.contains("BEGIN PUBLIC KEY"))
        #expect(
            try SignatureVerifier.publicKey(pem: Secret(publicPEM)).verify(payload: Self.payload, signature: signature)
        )
    }

    @Test func traditionalRSAKeySignsLikeItsPKCS8Form() throws {
        let pkcs8 = try APITestKeys.rsa()
        let traditional = try APITestKeys.traditionalRSA(fromPKCS8: pkcs8)
        #expect(traditional.contains("BEGIN RSA PRIVATE KEY"))

        let fromTraditional = try PrivateKeySigner(pem: Secret(traditional)).signature(for: Self.payload)
        let fromPKCS8 = try PrivateKeySigner(pem: Secret(pkcs8)).signature(for: Self.payload)

        #expect(fromTraditional == fromPKCS8)
    }

    @Test func verifierRejectsOtherKeyTamperedPayloadAndBadBase64() throws {
        let pem = try APITestKeys.ed25519()
        let other = try APITestKeys.ed25519()
        let signature = try PrivateKeySigner(pem: Secret(pem)).signature(for: Self.payload)
        let verifier = try SignatureVerifier.publicKey(pem: Secret(pem))

        #expect(verifier.verify(payload: Self.payload, signature: signature))
        #expect(!verifier.verify(payload: Self.payload + [UInt8(ascii: "0")], signature: signature))
        #expect(
            !(try SignatureVerifier.publicKey(pem: Secret(other))).verify(payload: Self.payload, signature: signature)
        )
        #expect(!verifier.verify(payload: Self.payload, signature: "not base64!"))
        #expect(!verifier.verify(payload: Self.payload, signature: ""))
    }

    @Test(arguments: [
        "",
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ])
    func invalidPEMIsRejectedWithoutQuotingIt(_ text: String) {
        #expect {
            try PrivateKeySigner(pem: Secret(text))
        } throws: { error in
            guard case BinanceError.invalidRequest(let message) = error else { return false }
            return message.hasPrefix("The private key could not be loaded") && (text.isEmpty || !message.contains(text))
        }
        #expect(throws: BinanceError.self) { try SignatureVerifier.publicKey(pem: Secret(text)) }
    }

    @Test func unsupportedKeyTypeIsRejected() throws {
        // An EC key is valid PEM, but Binance accepts only HMAC, Ed25519 and RSA keys.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let pem = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(pem.contains("BEGIN PRIVATE KEY"))

        #expect(throws: BinanceError.self) { try PrivateKeySigner(pem: Secret(pem)) }
    }
}

@Suite struct HMACVerifierTests {
    static let secret = Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
    static let payload = Array("symbol=LTCBTC&side=BUY".utf8)

    @Test func acceptsEitherCase() throws {
        let signature = try HMACSigner(secret: Self.secret).signature(for: Self.payload)
        let verifier = SignatureVerifier.hmac(secret: Self.secret)

        #expect(verifier.verify(payload: Self.payload, signature: signature))
        #expect(verifier.verify(payload: Self.payload, signature: signature.uppercased()))
    }

    @Test func rejectsWrongLengthWrongSecretAndNonHex() throws {
        let signature = try HMACSigner(secret: Self.secret).signature(for: Self.payload)
        let verifier = SignatureVerifier.hmac(secret: Self.secret)

        #expect(!verifier.verify(payload: Self.payload, signature: String(signature.dropLast())))
        #expect(!verifier.verify(payload: Self.payload, signature: signature + "0"))
        #expect(!SignatureVerifier.hmac(secret: Secret("other")).verify(payload: Self.payload, signature: signature))
        // `G` folds to `g`, which is not hex, so a near miss in the alphabet still fails.
        let shifted = String(signature.dropLast()) + "G"
        #expect(!verifier.verify(payload: Self.payload, signature: shifted))
    }
}

@Suite struct HMACKeyTests {
    /// RFC 4231 test cases 1, 2 and 6 (the last with a key longer than the SHA-256 block).
    @Test(arguments: [
        (Array(repeating: UInt8(0x0B), count: 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (Array(repeating: UInt8(0xAA), count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func matchesRFC4231(_ key: [UInt8], _ message: String, _ expected: String) throws {
        let keyed = try #require(HMACKey(key))

        #expect(keyed.mac(Array(message.utf8)).map(HexEncoding.encode) == expected)
        #expect(HexEncoding.encode(HMACSigner.mac(key: key, message: Array(message.utf8))) == expected)
        #expect(try HMACSigner(secret: Secret(bytes: key)).signature(for: Array(message.utf8)) == expected)
    }

    @Test func cachedKeysMatchOneShot() throws {
        // More keys than the cache keeps, twice over, so lookups after the cache was emptied are covered too.
        for round in 0..<2 {
            for number in 0..<40 {
                let key = Array("secret-\(number)".utf8)
                let message = Array("round=\(round)&number=\(number)".utf8)
                let cached = try #require(HMACKey.cached(key))

                #expect(cached.mac(message) == HMACSigner.mac(key: key, message: message))
            }
        }
    }

    @Test func emptyKeyMatchesOneShot() throws {
        let keyed = try #require(HMACKey([]))

        #expect(keyed.mac(Array("payload".utf8)) == HMACSigner.mac(key: [], message: Array("payload".utf8)))
        #expect(keyed.mac([]) == HMACSigner.mac(key: [], message: []))
    }

    @Test func concurrentSignaturesStayEqual() async throws {
        let secret = HMACVerifierTests.secret
        let signer = HMACSigner(secret: secret)
        let payloads = (0..<64).map { Array("symbol=BTCUSDT&timestamp=\($0)".utf8) }
        let signatures = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, payload) in payloads.enumerated() {
                group.addTask { (index, try signer.signature(for: payload)) }
            }
            var collected: [Int: String] = [:]
            for try await (index, signature) in group { collected[index] = signature }
            return collected
        }

        for (index, payload) in payloads.enumerated() {
            #expect(signatures[index] == HexEncoding.encode(HMACSigner.mac(key: secret.bytes, message: payload)))
        }
    }
}

@Suite struct SHA256DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ])
    func matchesFIPSVectors(_ input: String, _ expected: String) {
        #expect(SHA256Digest.hexHash(Array(input.utf8)) == expected)
        #expect(SHA256Digest.hash(Array(input.utf8)).count == 32)
    }
}
