/// A set of limits the exchange counts together; the client keeps one `RateLimiterState` for each.
///
/// Binance counts `/api`, `/sapi` and `/fapi` apart. On `/sapi` every endpoint has its own budget, which
/// Binance's wallet API documentation (general information, limits) meters either by IP weight (12,000 a
/// minute per endpoint) or by account (UID) weight (180,000 a minute per endpoint). Neither shares the `/api`
/// budget.
package enum LimitScope: Hashable, Sendable, CustomStringConvertible {
    /// Spot `/api`: REQUEST_WEIGHT and RAW_REQUESTS per IP, ORDERS per account, as exchangeInfo reports them.
    case spot
    /// One `/sapi` endpoint metered by IP weight.
    case walletIP(path: String)
    /// One `/sapi` endpoint metered by account (UID) weight.
    case walletUID(path: String)
    /// USDⓈ-M futures `/fapi`.
    case futures

    /// `/sapi` IP weight per endpoint and minute.
    package static let walletIPWeightPerMinute = 12_000
    /// `/sapi` UID weight per endpoint and minute.
    package static let walletUIDWeightPerMinute = 180_000

    package var description: String {
        switch self {
        case .spot: "spot"
        case .walletIP(let path): "sapi-ip \(path)"
        case .walletUID(let path): "sapi-uid \(path)"
        case .futures: "futures"
        }
    }

    /// True for the `/sapi` scopes, which live on the spot host and so share its IP bans.
    package var isWallet: Bool {
        switch self {
        case .walletIP, .walletUID: true
        case .spot, .futures: false
        }
    }

    /// The limits used until the exchange reports its own (only `/api` and `/fapi` report them, in exchangeInfo).
    package var defaultWindows: [LimitWindow] {
        switch self {
        case .spot:
            return LimitWindow.spotDefaults
        case .futures:
            return LimitWindow.futuresDefaults
        case .walletIP:
            return [LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: Self.walletIPWeightPerMinute)]
        case .walletUID(let path):
            var windows = [
                LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: Self.walletUIDWeightPerMinute)
            ]
            // The withdraw history also allows at most 10 requests a second.
            if path == Endpoint.withdrawHistory.path {
                windows.append(LimitWindow(kind: .rawRequests, intervalMilliseconds: 1000, limit: 10))
            }
            return windows
        }
    }

    /// The lower-case name, before the interval, of the response header that reports this scope's used weight.
    package var weightHeaderPrefix: String {
        switch self {
        case .spot, .futures: "x-mbx-used-weight-"
        case .walletIP: "x-sapi-used-ip-weight-"
        case .walletUID: "x-sapi-used-uid-weight-"
        }
    }
}

extension Endpoint {
    /// The limits this endpoint counts against.
    package var limitScope: LimitScope {
        switch market {
        case .spot: return .spot
        case .futures: return .futures
        case .wallet: return Self.uidWeightedPaths.contains(path) ? .walletUID(path: path) : .walletIP(path: path)
        }
    }

    /// `/sapi` endpoints in the catalogue that Binance meters by account (UID) weight rather than IP weight.
    static let uidWeightedPaths: Set<String> = [Endpoint.withdrawHistory.path]
}
