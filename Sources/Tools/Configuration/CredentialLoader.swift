import BinanceAPI
import Foundation

/// Loads and checks the API credentials at start, from the environment, the `.env` file or
/// `BINANCE_PRIVATE_KEY_FILE` only.
///
/// Values that cannot be real keys are rejected before any request: placeholders such as `your_api_key_here`
/// or `changeme`, and values that are not 64 ASCII letters and digits (the form of Binance API keys and HMAC
/// secrets). No message quotes a key, a secret or any part of them.
package enum CredentialLoader {
    /// Loads the credentials, dropping warnings; see `load(_:warnings:)`.
    package static func load(_ configuration: Configuration) throws(ToolError) -> Credentials? {
        var warnings: [String] = []
        return try load(configuration, warnings: &warnings)
    }

    /// Loads the credentials the configuration names.
    /// - Parameter warnings: receives problems that do not stop the program, such as a `.env` or key file that
    ///   other users can read. Show them and write them to the audit log as `credential_warning` events.
    /// - Returns: nil when no key is configured, which selects the simulated exchange, and nil without any
    ///   check of the key when `--venue sim` overrides a configured key, because the simulator uses its own.
    /// - Throws: `configuration_error` for a missing half of a key pair, a placeholder, a malformed key or secret,
    ///   or a private-key file that cannot be read or parsed.
    package static func load(_ configuration: Configuration, warnings: inout [String]) throws(ToolError)
        -> Credentials?
    {
        if let envFile = configuration.envFilePath, let warning = permissionWarning(envFile, role: "The .env file") {
            warnings.append(warning)
        }
        if configuration.venueOverride == .sim { return nil }
        guard let key = configuration.apiKey else {
            if configuration.apiSecret != nil || configuration.privateKeyFile != nil {
                let other = configuration.apiSecret != nil ? "BINANCE_API_SECRET" : "BINANCE_PRIVATE_KEY_FILE"
                throw ToolError(
                    .configurationError,
                    "\(other) is set but BINANCE_API_KEY is not: set both, or neither to use the simulated exchange."
                )
            }
            return nil
        }
        try check(key, variable: "BINANCE_API_KEY", kind: "key")

        if let keyFile = configuration.privateKeyFile {
            guard configuration.apiSecret == nil else {
                throw ToolError(
                    .configurationError,
                    "Both BINANCE_API_SECRET and BINANCE_PRIVATE_KEY_FILE are set: keep the one that matches the "
                        + "type of your API key (HMAC secret, or Ed25519 or RSA private key)."
                )
            }
            return Credentials(apiKey: Secret(key), signer: try privateKeySigner(path: keyFile, warnings: &warnings))
        }
        guard let secret = configuration.apiSecret else {
            throw ToolError(
                .configurationError,
                "BINANCE_API_KEY is set but neither BINANCE_API_SECRET nor BINANCE_PRIVATE_KEY_FILE is: set the "
                    + "secret of an HMAC key, or the path of the private key of an Ed25519 or RSA key."
            )
        }
        try check(secret, variable: "BINANCE_API_SECRET", kind: "secret")
        return Credentials(apiKey: Secret(key), signer: HMACSigner(secret: Secret(secret)))
    }

    // MARK: - Checks

    /// Rejects a placeholder or malformed key or secret, naming the variable and never the value.
    static func check(_ value: String, variable: String, kind: String) throws(ToolError) {
        if isPlaceholder(value) {
            throw ToolError(
                .configurationError,
                "\(variable) contains a placeholder, not a real \(kind): set it to the \(kind) from the API "
                    + "Management page of your Binance account, or remove it to use the simulated exchange."
            )
        }
        let isAlphanumeric = value.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard isAlphanumeric else {
            throw ToolError(
                .configurationError,
                "\(variable) is malformed: it contains characters other than letters and digits. Check for quotes, "
                    + "spaces or a line break copied with the \(kind)."
            )
        }
        guard value.utf8.count == 64 else {
            throw ToolError(
                .configurationError,
                "\(variable) is malformed: expected 64 letters and digits, got \(value.utf8.count) characters."
            )
        }
    }

    private static let placeholders: Set<String> = [
        "changeme", "change_me", "change-me", "placeholder", "example", "test", "none", "null", "todo", "tbd",
        "secret", "apikey", "api_key", "api-key", "apisecret", "api_secret", "api-secret", "key", "password",
        "your_key", "your_secret", "...", "<key>", "<secret>",
    ]

    /// Returns true for values that stand in for a key in examples and templates.
    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        if placeholders.contains(lower) { return true }
        if lower.hasPrefix("your") || lower.hasPrefix("xxx") || lower.hasPrefix("<") || lower.hasPrefix("${") {
            return true
        }
        for marker in ["_here", "-here", "placeholder", "changeme", "change_me", "replace_me", "replaceme", "dummy"]
        where lower.contains(marker) {
            return true
        }
        // A run of one repeated character, such as `********` or `00000000`.
        if let first = lower.first, lower.allSatisfy({ $0 == first }) { return true }
        return false
    }

    /// Returns a warning when a file that contains secrets is readable or writable by other users.
    static func permissionWarning(_ path: String, role: String) -> String? {
        guard let mode = SecureFile.mode(ofPath: path), mode & 0o077 != 0 else { return nil }
        let octal = String(mode & 0o777, radix: 8)
        return "\(role) \(UntrustedText.quoted(path, maximumLength: 256)) can be read by other users (mode \(octal)): "
            + "run 'chmod 600 \(path)'."
    }

    private static func privateKeySigner(path: String, warnings: inout [String]) throws(ToolError) -> PrivateKeySigner {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolError(
                .configurationError,
                "Cannot read BINANCE_PRIVATE_KEY_FILE \(UntrustedText.quoted(path, maximumLength: 256)): the file is "
                    + "missing or not readable."
            )
        }
        if let warning = permissionWarning(path, role: "The private key file") { warnings.append(warning) }
        do {
            return try PrivateKeySigner(pem: Secret(bytes: Array(data)))
        } catch {
            throw ToolError(
                .configurationError,
                "BINANCE_PRIVATE_KEY_FILE \(UntrustedText.quoted(path, maximumLength: 256)) does not contain a usable "
                    + "key: expected an unencrypted "
                    + "Ed25519 or RSA private key in PEM form ('BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY')."
            )
        }
    }

    // MARK: - Command line

    /// Option names that would carry a secret, compared in lower case without leading dashes.
    private static let secretOptions: Set<String> = [
        "api-key", "apikey", "api_key", "key", "secret", "api-secret", "api_secret", "apisecret", "secret-key",
        "secret_key", "private-key", "private_key", "password",
    ]

    /// Rejects command lines that carry a secret, because other users can read them in the process list.
    /// Rejected are options such as `--api-key` or `--secret`, and any argument containing a configured secret
    /// or something shaped like one (a 64-character key, a `signature=` value, a PEM private key).
    /// - Throws: `configuration_error` naming the option or the argument's position, never its value.
    package static func rejectSecretsOnCommandLine(arguments: [String], configuration: Configuration?) throws(ToolError) {
        let redactor = configuration.map { Redactor(configuration: $0) } ?? Redactor()
        let hint = "Set BINANCE_API_KEY and BINANCE_API_SECRET (or BINANCE_PRIVATE_KEY_FILE) in the environment or "
            + "a .env file with mode 0600."
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("-") {
                let name = argument.drop { $0 == "-" }.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                if secretOptions.contains(name.lowercased()) {
                    throw ToolError(
                        .configurationError,
                        "The option \(UntrustedText.quoted("--" + name)) is not accepted: secrets are never read from "
                            + "the command line, "
                            + "where other users can see them in the process list.",
                        hint: hint
                    )
                }
            }
            if redactor.redact(argument) != argument {
                throw ToolError(
                    .configurationError,
                    "Argument \(index + 1) contains a secret (an API key, a secret, a signature or a private key): "
                        + "secrets are never read from the command line, where other users can see them in the "
                        + "process list.",
                    hint: hint
                )
            }
        }
    }
}
