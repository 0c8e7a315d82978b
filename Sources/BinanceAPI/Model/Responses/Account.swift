/// One asset's balance in the spot account.
package struct Balance: Codable, Sendable, Equatable {
    package var asset: String
    package var free: DecimalValue
    package var locked: DecimalValue

    package init(
        asset: String,
        free: DecimalValue,
        locked: DecimalValue
    ) {
        self.asset = asset
        self.free = free
        self.locked = locked
    }
}

/// Commission rates as fractions (`0.001` is 0.1 %); buyer and seller rates are absent in test-order answers.
package struct CommissionRateSet: Codable, Sendable, Equatable {
    package var maker: DecimalValue
    package var taker: DecimalValue
    package var buyer: DecimalValue?
    package var seller: DecimalValue?

    package init(
        maker: DecimalValue,
        taker: DecimalValue,
        buyer: DecimalValue? = nil,
        seller: DecimalValue? = nil
    ) {
        self.maker = maker
        self.taker = taker
        self.buyer = buyer
        self.seller = seller
    }
}

/// The spot account, from `GET /api/v3/account`.
package struct Account: Codable, Sendable, Equatable {
    /// Maker commission in basis points (legacy; `commissionRates` has the fractions).
    package var makerCommission: Int
    package var takerCommission: Int
    package var buyerCommission: Int?
    package var sellerCommission: Int?
    package var commissionRates: CommissionRateSet?
    package var canTrade: Bool
    package var canWithdraw: Bool
    package var canDeposit: Bool
    package var brokered: Bool?
    package var requireSelfTradePrevention: Bool?
    package var preventSor: Bool?
    package var updateTime: Int64
    package var accountType: String
    package var balances: [Balance]
    package var permissions: [String]
    package var uid: Int64?

    package init(
        makerCommission: Int,
        takerCommission: Int,
        buyerCommission: Int? = nil,
        sellerCommission: Int? = nil,
        commissionRates: CommissionRateSet? = nil,
        canTrade: Bool,
        canWithdraw: Bool,
        canDeposit: Bool,
        brokered: Bool? = nil,
        requireSelfTradePrevention: Bool? = nil,
        preventSor: Bool? = nil,
        updateTime: Int64,
        accountType: String,
        balances: [Balance],
        permissions: [String],
        uid: Int64? = nil
    ) {
        self.makerCommission = makerCommission
        self.takerCommission = takerCommission
        self.buyerCommission = buyerCommission
        self.sellerCommission = sellerCommission
        self.commissionRates = commissionRates
        self.canTrade = canTrade
        self.canWithdraw = canWithdraw
        self.canDeposit = canDeposit
        self.brokered = brokered
        self.requireSelfTradePrevention = requireSelfTradePrevention
        self.preventSor = preventSor
        self.updateTime = updateTime
        self.accountType = accountType
        self.balances = balances
        self.permissions = permissions
        self.uid = uid
    }
}

/// The commission discount for paying fees in `discountAsset` (BNB).
package struct CommissionDiscount: Codable, Sendable, Equatable {
    package var enabledForAccount: Bool
    package var enabledForSymbol: Bool
    package var discountAsset: String
    package var discount: DecimalValue

    package init(
        enabledForAccount: Bool,
        enabledForSymbol: Bool,
        discountAsset: String,
        discount: DecimalValue
    ) {
        self.enabledForAccount = enabledForAccount
        self.enabledForSymbol = enabledForSymbol
        self.discountAsset = discountAsset
        self.discount = discount
    }
}

/// The account's commission rates for one symbol, from `GET /api/v3/account/commission`.
package struct CommissionRates: Codable, Sendable, Equatable {
    package var symbol: String
    package var standardCommission: CommissionRateSet
    package var specialCommission: CommissionRateSet?
    package var taxCommission: CommissionRateSet
    package var discount: CommissionDiscount

    package init(
        symbol: String,
        standardCommission: CommissionRateSet,
        specialCommission: CommissionRateSet? = nil,
        taxCommission: CommissionRateSet,
        discount: CommissionDiscount
    ) {
        self.symbol = symbol
        self.standardCommission = standardCommission
        self.specialCommission = specialCommission
        self.taxCommission = taxCommission
        self.discount = discount
    }
}

/// The commission a test order would pay, from `POST /api/v3/order/test` with `computeCommissionRates=true`.
package struct TestOrderCommission: Codable, Sendable, Equatable {
    package var standardCommissionForOrder: CommissionRateSet
    package var specialCommissionForOrder: CommissionRateSet?
    package var taxCommissionForOrder: CommissionRateSet
    package var discount: CommissionDiscount

    package init(
        standardCommissionForOrder: CommissionRateSet,
        specialCommissionForOrder: CommissionRateSet? = nil,
        taxCommissionForOrder: CommissionRateSet,
        discount: CommissionDiscount
    ) {
        self.standardCommissionForOrder = standardCommissionForOrder
        self.specialCommissionForOrder = specialCommissionForOrder
        self.taxCommissionForOrder = taxCommissionForOrder
        self.discount = discount
    }
}

/// One rate limit: at most `limit` units of `rateLimitType` per `intervalNum` `interval`s; `count` is present
/// only in `GET /api/v3/rateLimit/order`.
package struct RateLimitRule: Codable, Sendable, Equatable {
    /// `REQUEST_WEIGHT`, `ORDERS` or `RAW_REQUESTS`.
    package var rateLimitType: String
    /// `SECOND`, `MINUTE`, `HOUR` or `DAY`.
    package var interval: String
    package var intervalNum: Int
    package var limit: Int
    package var count: Int?

    package init(
        rateLimitType: String,
        interval: String,
        intervalNum: Int,
        limit: Int,
        count: Int? = nil
    ) {
        self.rateLimitType = rateLimitType
        self.interval = interval
        self.intervalNum = intervalNum
        self.limit = limit
        self.count = count
    }
}
