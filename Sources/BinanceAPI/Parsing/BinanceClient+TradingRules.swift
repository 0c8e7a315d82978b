import Foundation

extension BinanceClient {
    /// Fetches spot exchangeInfo and returns `transform` of each symbol's trading rules, in exchangeInfo order,
    /// without building the whole `ExchangeInfo`. The body is read outside the client's actor, so other
    /// requests are not held up while thousands of symbols are read.
    ///
    /// The reported rate limits are adopted, and errors are the same as `send(.exchangeInfo, as:
    /// ExchangeInfo.self)`, because a body the trading-rules reader does not accept is decoded that way.
    /// - Throws: `BinanceError`.
    package nonisolated func sendTradingRules<Entry: Sendable>(
        _ parameters: RequestParameters = RequestParameters(),
        transform: @Sendable (SymbolTradingRules) -> Entry
    ) async throws(BinanceError) -> [Entry] {
        let response = try await send(.exchangeInfo, parameters)
        var entries: [Entry] = []
        if let limits = ExchangeInfo.readTradingRules(from: response.body, { entries.append(transform($0)) }) {
            await adoptLimits(limits, scope: Endpoint.exchangeInfo.limitScope)
            return entries
        }
        let info = try await decodeAdoptingLimits(ExchangeInfo.self, from: response.body, endpoint: .exchangeInfo)
        return info.symbols.map { transform(SymbolTradingRules($0)) }
    }
}
