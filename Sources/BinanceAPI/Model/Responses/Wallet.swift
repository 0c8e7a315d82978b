/// The commission rates of one symbol, from `GET /sapi/v1/asset/tradeFee`.
package struct TradeFee: Codable, Sendable, Equatable {
    package var symbol: String
    package var makerCommission: DecimalValue
    package var takerCommission: DecimalValue

    package init(
        symbol: String,
        makerCommission: DecimalValue,
        takerCommission: DecimalValue
    ) {
        self.symbol = symbol
        self.makerCommission = makerCommission
        self.takerCommission = takerCommission
    }
}

/// The deposit address of a coin, from `GET /sapi/v1/capital/deposit/address`.
package struct DepositAddress: Codable, Sendable, Equatable {
    package var address: String
    package var coin: String
    package var tag: String
    package var url: String?

    package init(
        address: String,
        coin: String,
        tag: String,
        url: String? = nil
    ) {
        self.address = address
        self.coin = coin
        self.tag = tag
        self.url = url
    }
}

/// One deposit, from `GET /sapi/v1/capital/deposit/hisrec`.
package struct DepositRecord: Codable, Sendable, Equatable {
    package var id: String?
    package var amount: DecimalValue
    package var coin: String
    package var network: String
    /// 0 pending, 6 credited but cannot withdraw, 7 wrong deposit, 8 waiting for user confirmation, 1 success,
    /// 2 rejected.
    package var status: Int
    package var address: String
    package var addressTag: String?
    package var txId: String
    package var insertTime: Int64
    package var completeTime: Int64?
    package var transferType: Int?
    package var confirmTimes: String?
    package var unlockConfirm: Int?
    package var walletType: Int?

    package init(
        id: String? = nil,
        amount: DecimalValue,
        coin: String,
        network: String,
        status: Int,
        address: String,
        addressTag: String? = nil,
        txId: String,
        insertTime: Int64,
        completeTime: Int64? = nil,
        transferType: Int? = nil,
        confirmTimes: String? = nil,
        unlockConfirm: Int? = nil,
        walletType: Int? = nil
    ) {
        self.id = id
        self.amount = amount
        self.coin = coin
        self.network = network
        self.status = status
        self.address = address
        self.addressTag = addressTag
        self.txId = txId
        self.insertTime = insertTime
        self.completeTime = completeTime
        self.transferType = transferType
        self.confirmTimes = confirmTimes
        self.unlockConfirm = unlockConfirm
        self.walletType = walletType
    }
}

/// One withdrawal, from `GET /sapi/v1/capital/withdraw/history`.
package struct WithdrawRecord: Codable, Sendable, Equatable {
    package var id: String
    package var amount: DecimalValue
    package var transactionFee: DecimalValue
    package var coin: String
    /// 0 email sent, 1 cancelled, 2 awaiting approval, 3 rejected, 4 processing, 5 failure, 6 completed.
    package var status: Int
    package var address: String
    package var txId: String?
    /// UTC text such as `2019-10-12 11:12:02`.
    package var applyTime: String
    package var network: String?
    package var transferType: Int?
    package var withdrawOrderId: String?
    package var info: String?
    package var confirmNo: Int?
    package var walletType: Int?
    package var txKey: String?
    package var completeTime: String?

    package init(
        id: String,
        amount: DecimalValue,
        transactionFee: DecimalValue,
        coin: String,
        status: Int,
        address: String,
        txId: String? = nil,
        applyTime: String,
        network: String? = nil,
        transferType: Int? = nil,
        withdrawOrderId: String? = nil,
        info: String? = nil,
        confirmNo: Int? = nil,
        walletType: Int? = nil,
        txKey: String? = nil,
        completeTime: String? = nil
    ) {
        self.id = id
        self.amount = amount
        self.transactionFee = transactionFee
        self.coin = coin
        self.status = status
        self.address = address
        self.txId = txId
        self.applyTime = applyTime
        self.network = network
        self.transferType = transferType
        self.withdrawOrderId = withdrawOrderId
        self.info = info
        self.confirmNo = confirmNo
        self.walletType = walletType
        self.txKey = txKey
        self.completeTime = completeTime
    }
}

/// The balances of one daily snapshot; futures and margin snapshots carry other fields, which are ignored.
package struct SnapshotData: Codable, Sendable, Equatable {
    package var totalAssetOfBtc: DecimalValue?
    package var balances: [Balance]?

    package init(
        totalAssetOfBtc: DecimalValue? = nil,
        balances: [Balance]? = nil
    ) {
        self.totalAssetOfBtc = totalAssetOfBtc
        self.balances = balances
    }
}

/// One daily account snapshot.
package struct DailySnapshot: Codable, Sendable, Equatable {
    package var type: String
    package var updateTime: Int64
    package var data: SnapshotData

    package init(
        type: String,
        updateTime: Int64,
        data: SnapshotData
    ) {
        self.type = type
        self.updateTime = updateTime
        self.data = data
    }
}

/// Daily account snapshots, from `GET /sapi/v1/accountSnapshot`.
package struct AccountSnapshot: Codable, Sendable, Equatable {
    package var code: Int
    package var msg: String
    package var snapshotVos: [DailySnapshot]

    package init(
        code: Int,
        msg: String,
        snapshotVos: [DailySnapshot]
    ) {
        self.code = code
        self.msg = msg
        self.snapshotVos = snapshotVos
    }
}

/// Withdrawal and deposit settings of one asset, from `GET /sapi/v1/asset/assetDetail` (keyed by asset).
package struct AssetDetail: Codable, Sendable, Equatable {
    package var minWithdrawAmount: DecimalValue
    package var depositStatus: Bool
    /// Sent as a JSON number (`35`, `0.01`); decoded exactly.
    package var withdrawFee: DecimalValue
    package var withdrawStatus: Bool
    package var depositTip: String?

    package init(
        minWithdrawAmount: DecimalValue,
        depositStatus: Bool,
        withdrawFee: DecimalValue,
        withdrawStatus: Bool,
        depositTip: String? = nil
    ) {
        self.minWithdrawAmount = minWithdrawAmount
        self.depositStatus = depositStatus
        self.withdrawFee = withdrawFee
        self.withdrawStatus = withdrawStatus
        self.depositTip = depositTip
    }
}
