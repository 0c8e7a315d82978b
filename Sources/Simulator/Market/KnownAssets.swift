import Foundation

extension SymbolCatalog {
    /// Every asset that some symbol of the catalogue trades, as base or quote asset.
    var assets: Set<String> {
        let contents = self.contents
        var assets = Set<String>()
        for rules in contents.rules.values {
            assets.insert(rules.baseAsset)
            assets.insert(rules.quoteAsset)
        }
        return assets
    }
}

extension SimulatedExchange {
    /// Returns the names among `assets` that no symbol of the simulated exchange trades, sorted, so a paper
    /// account is never funded with a made-up asset such as `FOO`.
    /// - Parameter extraSymbols: the `SimulatorOptions.extraSymbols` of the exchange the account is for.
    package static func unknownAssets(_ assets: some Sequence<String>, extraSymbols: [String] = []) -> [String] {
        let known = SymbolCatalog.make(extraSymbols: extraSymbols).assets
        return Set(assets).subtracting(known).sorted()
    }

    /// Returns every symbol of the exchange in catalogue order with the step of its PRICE_FILTER and LOT_SIZE
    /// filters (nil where the symbol has no such filter), the same values its exchangeInfo reply lists.
    ///
    /// An in-process caller reads them here instead of requesting exchangeInfo and parsing the reply, because
    /// the catalogue is parsed already when the exchange serves its first request.
    package func symbolSteps() -> [(symbol: String, tickSize: Decimal?, stepSize: Decimal?)] {
        let contents = engine.catalog.contents
        return contents.order.compactMap { symbol in
            guard let rules = contents.rules[symbol] else { return nil }
            return (symbol, rules.price?.step, rules.lotSize?.step)
        }
    }

    /// Returns the names among `assets` that this exchange's symbols do not trade, sorted.
    package func unknownAssets(_ assets: some Sequence<String>) -> [String] {
        Set(assets).subtracting(engine.catalog.assets).sorted()
    }
}
