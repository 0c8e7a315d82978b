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

    /// Returns every symbol of the exchange in catalogue order, the symbols its exchangeInfo reply lists.
    ///
    /// An in-process caller reads them here and their steps from `filterSteps(of:)` instead of requesting
    /// exchangeInfo and parsing the 3.6 MB reply.
    package func symbolNames() -> [String] {
        engine.catalog.symbols
    }

    /// Returns the steps of the PRICE_FILTER and LOT_SIZE filters of `symbol`, each nil when the symbol has no such
    /// filter. Returns nil for a symbol the exchange does not list.
    package func filterSteps(of symbol: String) -> (tickSize: Decimal?, stepSize: Decimal?)? {
        guard let rules = engine.catalog.rules(symbol) else { return nil }
        return (rules.price?.step, rules.lotSize?.step)
    }

    /// Returns the names among `assets` that this exchange's symbols do not trade, sorted.
    package func unknownAssets(_ assets: some Sequence<String>) -> [String] {
        Set(assets).subtracting(engine.catalog.assets).sorted()
    }
}
