import BinanceAPI
import Foundation
import Tools

extension ResultRenderer {
    /// Returns whether `row` is an order as Binance reports it, whose `price` cell may need `orderPriceCell`.
    static func isOrder(_ row: [String: JSONValue]) -> Bool {
        row["orderId"] != nil && row["executedQty"] != nil
    }

    /// Returns the price cell of an order whose `price` is zero, as Binance reports for MARKET orders and other
    /// orders without a limit price. Returns nil for any other price, which `cell` then formats.
    ///
    /// A zero there is no price, so the cell shows the average fill price, `cummulativeQuoteQty / executedQty`
    /// computed in `Decimal` and rounded to 8 decimal places, or `-` when nothing was filled. Binance reports a
    /// negative `cummulativeQuoteQty` for some old orders whose quote total is unknown, which also gives `-`.
    func orderPriceCell(_ order: [String: JSONValue], context: CellContext) -> String? {
        guard let price = Self.decimal(order["price"]), price == 0 else { return nil }
        guard let executed = Self.decimal(order["executedQty"]), executed > 0,
            let quoteTotal = Self.decimal(order["cummulativeQuoteQty"]), quoteTotal > 0
        else { return "-" }

        var average = quoteTotal / executed
        var rounded = Decimal()
        NSDecimalRound(&rounded, &average, 8, .plain)
        let text = DecimalText.format(rounded)
        // Padded to the symbol's price precision like other prices, unless that would drop digits of the average.
        let fractionDigits = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        guard let scale = orderPriceScale(context), fractionDigits <= scale else { return text }
        return DecimalText.format(rounded, scale: scale)
    }

    private func orderPriceScale(_ context: CellContext) -> Int? {
        guard let symbol = context.symbol else { return nil }
        return options.precision(symbol)?.priceScale
    }

    private static func decimal(_ value: JSONValue?) -> Decimal? {
        switch value {
        case .number(let number)?: return number
        case .string(let text)?: return DecimalText.parse(text, allowNegative: true)
        default: return nil
        }
    }
}
