import Foundation

/// Reads the recorded Binance payloads and signature vectors that live next to the package.
package enum APIFixtures {
    /// The folder of recorded Binance payloads (`shared/fixtures/binance` beside the package root).
    package static let binanceFolder: URL = BinaryRunner.packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/binance")

    /// The folder of recorded market data (`shared/fixtures/market` beside the package root).
    package static let marketFolder: URL = BinaryRunner.packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/market")

    /// Returns the bytes of `name` in the Binance fixture folder.
    package static func binance(_ name: String) throws -> Data {
        try Data(contentsOf: binanceFolder.appendingPathComponent(name))
    }

    /// Returns the bytes of `name` in the market fixture folder.
    package static func market(_ name: String) throws -> Data {
        try Data(contentsOf: marketFolder.appendingPathComponent(name))
    }

    /// Names of every `.json` file in the Binance fixture folder, sorted.
    package static func binanceJSONNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: binanceFolder.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
    }
}

/// Private keys made by `openssl genpkey` in a temporary folder, for signing round trips in tests.
package enum APITestKeys {
    package enum Failure: Error, CustomStringConvertible {
        case opensslFailed(arguments: [String], status: Int32, output: String)

        package var description: String {
            switch self {
            case .opensslFailed(let arguments, let status, let output):
                "openssl \(arguments.joined(separator: " ")) exited with \(status): \(output)"
            }
        }
    }

    /// Generates an Ed25519 private key in PKCS#8 PEM form.
    package static func ed25519() throws -> String {
        try generate(["genpkey", "-algorithm", "ed25519"])
    }

    /// Generates an RSA private key of `bits` bits in PKCS#8 PEM form (`BEGIN PRIVATE KEY`).
    package static func rsa(bits: Int = 2048) throws -> String {
        try generate(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)"])
    }

    /// Converts a PKCS#8 RSA key to the traditional `BEGIN RSA PRIVATE KEY` form.
    package static func traditionalRSA(fromPKCS8 pem: String) throws -> String {
        try withTemporaryFolder { folder in
            let input = folder.appendingPathComponent("in.pem")
            try Data(pem.utf8).write(to: input)
            return try run(["rsa", "-in", input.path, "-traditional"], outputIn: folder)
        }
    }

    /// Returns the public key PEM of a private key.
    package static func publicKey(ofPrivate pem: String) throws -> String {
        try withTemporaryFolder { folder in
            let input = folder.appendingPathComponent("in.pem")
            try Data(pem.utf8).write(to: input)
            return try run(["pkey", "-in", input.path, "-pubout"], outputIn: folder)
        }
    }

    /// Signs `payload` with the openssl command-line tool, as an independent reference: `pkeyutl -rawin` for
    /// Ed25519 and `dgst -sha256 -sign` for RSA. Returns the base64 signature.
    package static func opensslSignature(privateKey pem: String, payload: [UInt8], isRSA: Bool) throws -> String {
        try withTemporaryFolder { folder in
            let key = folder.appendingPathComponent("key.pem")
            let message = folder.appendingPathComponent("payload")
            let signature = folder.appendingPathComponent("signature")
            try Data(pem.utf8).write(to: key)
            try Data(payload).write(to: message)
            let arguments =
                isRSA
                ? ["dgst", "-sha256", "-sign", key.path, "-out", signature.path, message.path]
                : ["pkeyutl", "-sign", "-rawin", "-inkey", key.path, "-in", message.path, "-out", signature.path]
            _ = try run(arguments, outputIn: folder)
            return try Data(contentsOf: signature).base64EncodedString()
        }
    }

    private static func generate(_ arguments: [String]) throws -> String {
        try withTemporaryFolder { folder in try run(arguments, outputIn: folder) }
    }

    private static func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("binance-shell-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// Runs openssl with `arguments` and returns its standard output as text.
    private static func run(_ arguments: [String], outputIn folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure.opensslFailed(
                arguments: arguments,
                status: process.terminationStatus,
                output: String(decoding: errorData, as: UTF8.self)
            )
        }
        return String(decoding: data, as: UTF8.self)
    }
}
