/// One entry of the futures income history, from `GET /fapi/v1/income`.
package struct IncomeRecord: Codable, Sendable, Equatable {
    /// Empty for entries that concern no symbol (such as transfers).
    package var symbol: String
    /// `TRANSFER`, `REALIZED_PNL`, `FUNDING_FEE`, `COMMISSION`, `INSURANCE_CLEAR` and others.
    package var incomeType: String
    package var income: DecimalValue
    package var asset: String
    package var info: String
    package var time: Int64
    package var tranId: Int64
    /// The trade id as text; Binance sends `""` when the entry has no trade, and a number or string otherwise.
    package var tradeId: String

    package init(
        symbol: String,
        incomeType: String,
        income: DecimalValue,
        asset: String,
        info: String,
        time: Int64,
        tranId: Int64,
        tradeId: String = ""
    ) {
        self.symbol = symbol
        self.incomeType = incomeType
        self.income = income
        self.asset = asset
        self.info = info
        self.time = time
        self.tranId = tranId
        self.tradeId = tradeId
    }

    private enum CodingKeys: String, CodingKey {
        case symbol, incomeType, income, asset, info, time, tranId, tradeId
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decode(String.self, forKey: .symbol)
        incomeType = try container.decode(String.self, forKey: .incomeType)
        income = try container.decode(DecimalValue.self, forKey: .income)
        asset = try container.decode(String.self, forKey: .asset)
        info = try container.decodeIfPresent(String.self, forKey: .info) ?? ""
        time = try container.decode(Int64.self, forKey: .time)
        tranId = try container.decode(Int64.self, forKey: .tranId)
        if let text = try? container.decodeIfPresent(String.self, forKey: .tradeId) {
            tradeId = text
        } else {
            tradeId = try container.decodeIfPresent(Int64.self, forKey: .tradeId).map(String.init) ?? ""
        }
    }
}
