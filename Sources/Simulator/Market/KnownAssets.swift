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

    /// Returns the names among `assets` that this exchange's symbols do not trade, sorted.
    package func unknownAssets(_ assets: some Sequence<String>) -> [String] {
        Set(assets).subtracting(engine.catalog.assets).sorted()
    }
}
