import BinanceAPI
import Foundation

/// The permissions of an API key, from `GET /sapi/v1/account/apiRestrictions`.
package struct KeyPermissions: Sendable, Equatable, Decodable {
    package var ipRestrict: Bool
    package var enableReading: Bool?
    package var enableSpotAndMarginTrading: Bool?
    package var enableWithdrawals: Bool
    package var enableInternalTransfer: Bool?
    package var permitsUniversalTransfer: Bool?
    package var enableFutures: Bool?
    package var enableMargin: Bool?
}

/// Reads the key's permissions at start on a real-money venue and warns about the dangerous ones.
package enum KeyPermissionCheck {
    /// Reads the permissions and returns the warnings to show, loudest first.
    ///
    /// A key that can withdraw gets a warning in capitals: this program never withdraws, so the permission only
    /// helps someone who steals the key. Transfers and a missing IP restriction get milder warnings. A failed
    /// read is itself a warning, not an error: the permissions are advice, and the exchange enforces them.
    package static func run(client: BinanceClient, redactor: Redactor) async -> (permissions: KeyPermissions?, warnings: [String]) {
        let permissions: KeyPermissions
        do {
            permissions = try await client.send(.apiRestrictions, as: KeyPermissions.self)
        } catch {
            let reason: String
            switch error {
            case .rejected(_, let code, let message): reason = "Binance error \(code): \(message)"
            default: reason = "the request failed"
            }
            return (nil, [redactor.redact("The permissions of the API key could not be read (\(reason)).")])
        }
        return (permissions, warnings(for: permissions))
    }

    /// Returns the warnings for a set of permissions, loudest first.
    package static func warnings(for permissions: KeyPermissions) -> [String] {
        var warnings: [String] = []
        if permissions.enableWithdrawals {
            warnings.append(
                "WARNING: THIS API KEY CAN WITHDRAW FUNDS. binance-shell never withdraws, so this permission only "
                    + "helps whoever steals the key. Turn off 'Enable Withdrawals' for this key in Binance API "
                    + "Management."
            )
        }
        if permissions.enableInternalTransfer == true || permissions.permitsUniversalTransfer == true {
            warnings.append(
                "Warning: this API key can transfer funds between accounts, which binance-shell never does. "
                    + "Turn off the transfer permissions for this key in Binance API Management."
            )
        }
        if !permissions.ipRestrict {
            warnings.append(
                "Warning: this API key works from any IP address. Restrict it to trusted IP addresses in Binance "
                    + "API Management."
            )
        }
        return warnings
    }
}
