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

private func load(_ environment: [String: String]) throws -> (Credentials?, [String]) {
    let configuration = try SafetyFixtures.configuration(environment, home: SafetyFixtures.temporaryDirectory())
    var warnings: [String] = []
    let credentials = try CredentialLoader.load(configuration, warnings: &warnings)
    return (credentials, warnings)
}

private func loadError(_ environment: [String: String]) -> ToolError? {
    do {
        _ = try load(environment)
        return nil
    } catch let error as ToolError {
        return error
    } catch {
        return ToolError(.internalError, "unexpected \(error)")
    }
}

@Suite struct SafetyCredentialTests {
    @Test func noKeySelectsTheSimulator() throws {
        let (credentials, warnings) = try load([:])

        #expect(credentials == nil)
        #expect(warnings.isEmpty)
    }

    @Test func simulatorOverrideIgnoresTheConfiguredKey() throws {
        var configuration = try SafetyFixtures.configuration(
            ["BINANCE_API_KEY": "short", "BINANCE_API_SECRET": "changeme"],
            home: SafetyFixtures.temporaryDirectory()
        )
        configuration.venueOverride = .sim

        #expect(try CredentialLoader.load(configuration) == nil)
    }

    @Test func hmacKeyAndSecretLoad() throws {
        let (credentials, _) = try load(["BINANCE_API_KEY": key, "BINANCE_API_SECRET": secret])

        let loaded = try #require(credentials)
        #expect(loaded.signer.algorithm == "HMAC-SHA256")
        #expect(loaded.apiKey.textForRedaction == key)
        #expect(!"\(loaded)".contains(key))
    }

    @Test(arguments: [
        "your_api_key_here", "YOUR_API_KEY", "changeme", "xxxxxxxxxxxxxxxx", "xxx-your-key", "<api key>",
        "${BINANCE_API_KEY}", "PLACEHOLDER", "0000000000000000000000000000000000000000000000000000000000000000",
    ])
    func placeholderKeyIsRejected(value: String) {
        let error = loadError(["BINANCE_API_KEY": value, "BINANCE_API_SECRET": secret])

        #expect(error?.type == .configurationError)
        #expect(
            error?.message
                == "BINANCE_API_KEY contains a placeholder, not a real key: set it to the key from the API "
                + "Management page of your Binance account, or remove it to use the simulated exchange."
        )
        #expect(error?.message.contains(value) == false)
    }

    @Test func placeholderSecretIsRejected() {
        let error = loadError(["BINANCE_API_KEY": key, "BINANCE_API_SECRET": "your_secret_key_here"])

        #expect(
            error?.message
                == "BINANCE_API_SECRET contains a placeholder, not a real secret: set it to the secret from the API "
                + "Management page of your Binance account, or remove it to use the simulated exchange."
        )
    }

    @Test func shortKeyIsRejectedWithoutEchoingIt() {
        let error = loadError(["BINANCE_API_KEY": String(key.prefix(40)), "BINANCE_API_SECRET": secret])

        #expect(error?.message == "BINANCE_API_KEY is malformed: expected 64 letters and digits, got 40 characters.")
    }

    @Test func secretWithStrayCharactersIsRejected() {
        let error = loadError(["BINANCE_API_KEY": key, "BINANCE_API_SECRET": String(secret.dropLast()) + "\""])

        #expect(
            error?.message
                == "BINANCE_API_SECRET is malformed: it contains characters other than letters and digits. Check "
                + "for quotes, spaces or a line break copied with the secret."
        )
        #expect(error?.message.contains(String(secret.prefix(16))) == false)
    }

    @Test func halfAPairIsRejected() {
        let keyOnly = loadError(["BINANCE_API_KEY": key])
        let secretOnly = loadError(["BINANCE_API_SECRET": secret])
        let both = loadError(["BINANCE_API_KEY": key, "BINANCE_API_SECRET": secret, "BINANCE_PRIVATE_KEY_FILE": "/k.pem"])

        #expect(keyOnly?.message.hasPrefix("BINANCE_API_KEY is set but neither BINANCE_API_SECRET nor") == true)
        #expect(
            secretOnly?.message
                == "BINANCE_API_SECRET is set but BINANCE_API_KEY is not: set both, or neither to use the simulated "
                + "exchange."
        )
        #expect(both?.message.hasPrefix("Both BINANCE_API_SECRET and BINANCE_PRIVATE_KEY_FILE are set") == true)
    }

    @Test func privateKeyFileLoadsAndLooseModeWarns() throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let path = directory + "/ed25519.pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)

        let (credentials, warnings) = try load(["BINANCE_API_KEY": key, "BINANCE_PRIVATE_KEY_FILE": path])

        #expect(credentials?.signer.algorithm == "Ed25519")
        #expect(warnings == ["The private key file '\(path)' can be read by other users (mode 644): run 'chmod 600 \(path)'."])
    }

    @Test func privateKeyFileWithOwnerOnlyModeDoesNotWarn() throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let path = directory + "/ed25519.pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)

        let (_, warnings) = try load(["BINANCE_API_KEY": key, "BINANCE_PRIVATE_KEY_FILE": path])

        #expect(warnings.isEmpty)
    }

    @Test func unusablePrivateKeyFileIsRejected() throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let path = directory + "/broken.pem"
        try "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )

        let broken = loadError(["BINANCE_API_KEY": key, "BINANCE_PRIVATE_KEY_FILE": path])
        let missing = loadError(["BINANCE_API_KEY": key, "BINANCE_PRIVATE_KEY_FILE": directory + "/none.pem"])

        #expect(
            broken?.message
                == "BINANCE_PRIVATE_KEY_FILE '\(path)' does not contain a usable key: expected an unencrypted Ed25519 "
                + "or RSA private key in PEM form ('BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY')."
        )
        #expect(
            missing?.message
                == "Cannot read BINANCE_PRIVATE_KEY_FILE '\(directory)/none.pem': the file is missing or not readable."
        )
    }

    @Test func envFileReadableByOthersWarns() throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let path = directory + "/.env"
        try "BINANCE_API_KEY=\(key)\nBINANCE_API_SECRET=\(secret)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o640)
        let configuration = try Configuration.load(environment: ["BINANCE_SHELL_HOME": directory], envFilePath: path)
        var warnings: [String] = []

        let credentials = try CredentialLoader.load(configuration, warnings: &warnings)

        #expect(credentials != nil)
        #expect(warnings == ["The .env file '\(path)' can be read by other users (mode 640): run 'chmod 600 \(path)'."])
    }

    // MARK: - Command line

    @Test(arguments: ["--api-key", "--api-key=abc", "--secret", "-secret=x", "--API_SECRET", "--private-key"])
    func secretOptionIsRejected(option: String) {
        #expect(throws: ToolError.self) {
            try CredentialLoader.rejectSecretsOnCommandLine(arguments: ["--mcp", option], configuration: nil)
        }
    }

    @Test func configuredSecretAsAnArgumentIsRejected() throws {
        let configuration = try SafetyFixtures.configuration(
            ["BINANCE_API_KEY": key, "BINANCE_API_SECRET": secret],
            home: SafetyFixtures.temporaryDirectory()
        )

        var caught: ToolError?
        do {
            try CredentialLoader.rejectSecretsOnCommandLine(
                arguments: ["-c", "price BTCUSDT \(secret)"],
                configuration: configuration
            )
        } catch {
            caught = error
        }

        #expect(caught?.message.hasPrefix("Argument 2 contains a secret") == true)
        #expect(caught?.message.contains(String(secret.prefix(16))) == false)
    }

    @Test func ordinaryArgumentsPass() throws {
        try CredentialLoader.rejectSecretsOnCommandLine(
            arguments: ["-c", "price BTCUSDT; balance", "--venue", "sim", "--env-file", "/tmp/.env", "--yes", "--json"],
            configuration: nil
        )
    }

    // MARK: - Process hardening and key permissions

    @Test func hardeningDisablesCoreDumps() {
        let warnings = ProcessHardening.apply()

        #expect(warnings.isEmpty)
        #expect(ProcessHardening.isHardened)
    }

    @Test func withdrawingKeyGetsALoudWarning() async throws {
        let transport = RecordingTransport { _ in
            let body = #"{"ipRestrict":false,"createTime":1698645219000,"enableReading":true,"enableWithdrawals":true,"#
                + #""enableInternalTransfer":false,"permitsUniversalTransfer":false,"enableSpotAndMarginTrading":true,"#
                + #""enableFutures":false,"enableMargin":false,"enableVanillaOptions":false}"#
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        let configuration = try SafetyFixtures.configuration(SafetyFixtures.liveEnvironment, home: SafetyFixtures.temporaryDirectory())

        let (permissions, warnings) = await KeyPermissionCheck.run(
            client: SafetyFixtures.client(configuration, transport: transport),
            redactor: Redactor()
        )

        #expect(transport.requests.map(\.path) == ["/sapi/v1/account/apiRestrictions"])
        #expect(permissions?.enableWithdrawals == true)
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("WARNING: THIS API KEY CAN WITHDRAW FUNDS.") == true)
        #expect(warnings.last?.hasPrefix("Warning: this API key works from any IP address.") == true)
    }

    @Test func restrictedKeyGetsNoWarning() {
        let permissions = KeyPermissions(
            ipRestrict: true,
            enableReading: true,
            enableSpotAndMarginTrading: true,
            enableWithdrawals: false,
            enableInternalTransfer: false,
            permitsUniversalTransfer: false,
            enableFutures: false,
            enableMargin: false
        )

        #expect(KeyPermissionCheck.warnings(for: permissions).isEmpty)
    }
}
