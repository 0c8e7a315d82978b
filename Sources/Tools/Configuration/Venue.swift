/// Where requests go.
package enum Venue: String, Sendable, CaseIterable {
    /// The built-in simulated exchange (paper trading), the default when no API key is configured.
    case sim
    /// Binance's spot testnet.
    case testnet
    /// Real Binance: real money.
    case live
    /// `BINANCE_BASE_URL`: a self-hosted simulator or a proxy.
    case custom

    /// True when orders here spend real money and need trading enabled and a human confirmation.
    package func isRealMoney(baseURL: String?) -> Bool {
        switch self {
        case .sim, .testnet: return false
        case .live: return true
        case .custom: return !Venue.isLoopback(baseURL ?? "")
        }
    }

    /// Returns true when the URL's host is a loopback address (`127.0.0.0/8`, `localhost`, `[::1]`).
    package static func isLoopback(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        var rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.split(separator: ":", maxSplits: 1).first ?? ""
        }
        if host.lowercased() == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
