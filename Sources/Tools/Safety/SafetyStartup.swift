import BinanceAPI
import Foundation

/// The safety steps the executable runs at start, in two calls around building the engine.
package enum SafetyStartup {
    /// The credentials to build the engine with, and the warnings to show.
    package struct Preparation: Sendable {
        package var credentials: Credentials?
        package var warnings: [String]
    }

    /// Hardens the process, rejects secrets on the command line, checks that `BINANCE_SHELL_HOME` is writable,
    /// and loads the credentials. Call it before building the transport and the engine.
    /// - Parameter arguments: the command line without the program name.
    /// - Throws: `configuration_error` for a secret on the command line, a home that cannot be written, or
    ///   unusable credentials; exit with it.
    package static func prepare(arguments: [String], configuration: Configuration) throws(ToolError) -> Preparation {
        var warnings = ProcessHardening.apply()
        try CredentialLoader.rejectSecretsOnCommandLine(arguments: arguments, configuration: configuration)
        try SecureFile.prepareStateDirectory(configuration.home)
        warnings += configuration.warnings
        let credentials = try CredentialLoader.load(configuration, warnings: &warnings)
        return Preparation(credentials: credentials, warnings: warnings)
    }

    /// Writes the start-up events to the audit log, checks the key's permissions on `live`, and reports orders
    /// whose outcome was never recorded (each once). Show every returned line on stderr before serving.
    /// - Parameters:
    ///   - preparation: the result of `prepare`; its warnings are audited as `credential_warning` events.
    ///   - origin: the way in being started, so `MCP_LOG_SECURITY` echoes the start-up events of the MCP server.
    /// - Returns: the warnings to show, loudest first.
    package static func start(engine: ToolEngine, preparation: Preparation, origin: Origin) async -> [String] {
        let services = engine.services
        var warnings: [String] = []
        if services.venue == .live, preparation.credentials != nil {
            let check = await KeyPermissionCheck.run(client: services.client, redactor: services.redactor)
            warnings += check.warnings
        }
        warnings += preparation.warnings

        await services.audit.recordReportingFailure(
            AuditEvent(
                .configurationValidated,
                origin: origin,
                outcome: "success",
                venue: services.venue,
                details: [
                    "guard": await services.tradingGuard.status(),
                    "key_fingerprint": preparation.credentials.map { .string(fingerprint(of: $0)) } ?? .null,
                    "signer": preparation.credentials.map { .string($0.signer.algorithm) } ?? .null,
                ]
            )
        )
        for warning in warnings {
            await services.audit.recordReportingFailure(
                AuditEvent(.credentialWarning, origin: origin, outcome: "warning", errorMessage: warning, venue: services.venue)
            )
        }
        for intent in await services.audit.pendingIntents() {
            warnings.append(pendingIntentWarning(intent))
            await services.audit.recordReportingFailure(
                AuditEvent(
                    .intentReported,
                    origin: origin,
                    outcome: "unknown",
                    venue: services.venue,
                    invocationID: intent.invocationID,
                    details: ["intent": intent.intent]
                )
            )
        }
        return warnings.map { UntrustedText.escapingControls(services.redactor.redact($0)) }
    }

    /// Checks the audit log chain for `--verify-audit`.
    /// - Parameter path: the audit file or the directory of audit files (`BINANCE_SHELL_HOME`).
    /// - Returns: the report to print on stdout and the exit status: 0 when the chain is intact, 1 otherwise.
    package static func verifyAudit(path: String) -> (report: String, status: Int32) {
        guard FileManager.default.fileExists(atPath: path) else {
            return (
                "Audit log not found at '\(path)': give the BINANCE_SHELL_HOME directory or its audit.jsonl file.",
                2
            )
        }
        let verification = AuditLog.verify(path: path)
        return (verification.summary, verification.isValid ? 0 : 1)
    }

    /// Returns a short identifier of the API key for the audit log: its first 4 characters and 8 hex digits of its
    /// SHA-256 hash, which tell keys apart without revealing them.
    package static func fingerprint(of credentials: Credentials) -> String {
        let bytes = credentials.apiKey.bytes
        let prefix = String(decoding: bytes.prefix(4), as: UTF8.self)
        return prefix + "…" + String(SHA256Digest.hexHash(bytes).prefix(8))
    }

    static func pendingIntentWarning(_ intent: PendingIntent) -> String {
        let symbol = intent.intent["symbol"]?.stringValue ?? "?"
        let clientOrderID = intent.clientOrderID ?? "?"
        // The audit file can be edited by anyone with the user's rights, so its values are quoted like input, and
        // `start` escapes control characters in every warning.
        return "An order was sent at \(intent.time) but its outcome was not recorded (\(symbol), client order id "
            + "\(UntrustedText.quoted(clientOrderID))): check it with 'get_order symbol=\(symbol) "
            + "client_order_id=\(clientOrderID)'."
    }
}
