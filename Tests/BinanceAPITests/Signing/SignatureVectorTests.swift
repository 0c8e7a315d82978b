import BinanceAPI
import Foundation
import TestSupport
import Testing

/// One entry of `signature_vectors` in the recorded request fixtures.
struct SignatureVector: Decodable, Sendable, CustomTestStringConvertible {
    let id: String
    let algorithm: String
    let secretKey: String?
    let privateKeyPEM: String?
    let publicKeyPEM: String?
    let paramsInOrder: [[String]]?
    let signaturePayload: String
    let signature: String
    let signaturePercentEncoded: String?
    let requestURL: String?

    enum CodingKeys: String, CodingKey {
        case id, algorithm, secretKey, signature
        case privateKeyPEM = "private_key_pem"
        case publicKeyPEM = "public_key_pem_derived"
        case paramsInOrder = "params_in_order"
        case signaturePayload = "signature_payload"
        case signaturePercentEncoded = "signature_percent_encoded"
        case requestURL = "request_url"
    }

    var testDescription: String { id }

    var isHMAC: Bool { algorithm.hasPrefix("HMAC") }
    var isRSA: Bool { algorithm.hasPrefix("RSA") }
    var isEd25519: Bool { algorithm.hasPrefix("Ed25519") }

    static let all: [SignatureVector] = {
        struct File: Decodable { let signature_vectors: [SignatureVector] }
        do {
            return try JSONDecoder().decode(File.self, from: APIFixtures.binance("requests.json")).signature_vectors
        } catch {
            Issue.record("requests.json could not be read: \(error)")
            return []
        }
    }()
}

@Suite struct SignatureVectorTests {
    @Test func fixtureHoldsEveryKnownVector() {
        let ids = Set(SignatureVector.all.map(\.id))
        #expect(ids.count == SignatureVector.all.count)
        #expect(ids.isSuperset(of: ["spot_rest_hmac_ascii", "spot_rest_hmac_nonascii", "fix_logon_ed25519_full"]))
        #expect(SignatureVector.all.count >= 9)
    }

    @Test(arguments: SignatureVector.all.filter(\.isHMAC))
    func hmacVectorMatches(_ vector: SignatureVector) throws {
        let secret = try #require(vector.secretKey)
        let signer = HMACSigner(secret: Secret(secret))

        let signature = try signer.signature(for: Array(vector.signaturePayload.utf8))

        #expect(signature == vector.signature)
        #expect(
            SignatureVerifier.hmac(secret: Secret(secret)).verify(
                payload: Array(vector.signaturePayload.utf8),
                signature: vector.signature.uppercased()
            )
        )
    }

    /// REST vectors list their parameters: encoding them must give the documented payload byte for byte.
    @Test(arguments: SignatureVector.all.filter { $0.paramsInOrder != nil })
    func parametersEncodeToDocumentedPayload(_ vector: SignatureVector) throws {
        let pairs = try #require(vector.paramsInOrder).map { ($0[0], $0[1]) }

        let encoded = RequestParameters(pairs).encoded

        #expect(encoded == vector.signaturePayload)
        if let url = vector.requestURL {
            #expect(url.hasSuffix("?" + encoded + "&signature=" + vector.signature))
        }
    }

    @Test(arguments: SignatureVector.all.filter(\.isRSA))
    func rsaVectorHasRSA2048Shape(_ vector: SignatureVector) throws {
        let bytes = try #require(Base64.decode(vector.signature))

        #expect(bytes.count == 256)
        if let percentEncoded = vector.signaturePercentEncoded {
            #expect(RequestParameters.percentEncode(vector.signature) == percentEncoded)
        }
    }

    @Test(arguments: SignatureVector.all.filter { $0.isEd25519 && $0.privateKeyPEM == nil })
    func ed25519VectorWithoutKeyHasSignatureShape(_ vector: SignatureVector) throws {
        let bytes = try #require(Base64.decode(vector.signature))

        #expect(bytes.count == 64)
    }

    @Test func fixLogonEd25519VectorMatches() throws {
        let vector = try #require(SignatureVector.all.first { $0.id == "fix_logon_ed25519_full" })
        let pem = try #require(vector.privateKeyPEM)
        let payload = Array(vector.signaturePayload.utf8)
        #expect(payload.contains(0x01))

        let signer = try PrivateKeySigner(pem: Secret(pem))

        #expect(signer.algorithm == "Ed25519")
        #expect(try signer.signature(for: payload) == vector.signature)
        let publicPEM = try #require(vector.publicKeyPEM)
        let verifier = try SignatureVerifier.publicKey(pem: Secret(publicPEM))
        #expect(verifier.verify(payload: payload, signature: vector.signature))
        #expect(!verifier.verify(payload: payload + [0x20], signature: vector.signature))
    }
}
