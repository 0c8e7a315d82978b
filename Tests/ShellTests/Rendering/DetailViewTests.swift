import Foundation
import Shell
import Testing
import Tools

struct PreviewViewTests {
    let preview: JSONValue = .object([
        "venue": "sim",
        "placesOrder": false,
        "order": .object([
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.00123", "price": "20000.12",
            "timeInForce": "GTC",
        ]),
        "baseAsset": "BTC",
        "quoteAsset": "USDT",
        "notional": "24.6001476",
        "notionalEstimated": false,
        "commission": .object(["amount": "0.00000123", "asset": "BTC", "rate": "0.001"]),
        "balance": .object(["asset": "USDT", "free": "10000", "sharePercent": "0.25"]),
        "exchangeVerdict": .object(["accepted": true]),
        "adjustments": .array([
            .object([
                "parameter": "price", "requested": "20000.123", "adjusted": "20000.12",
                "reason": "rounded down to the tick size 0.01",
            ])
        ]),
    ])

    @Test func showsTheWholePreview() throws {
        let text = try #require(PreviewView.render(preview, style: .plain))
        #expect(text == """
            venue           sim: a preview only, nothing is placed
            symbol          BTCUSDT
            side            BUY
            type            LIMIT
            quantity        0.00123
            price           20000.12
            time in force   GTC
            notional        24.6001476 USDT
            commission      0.00000123 BTC, at the taker rate 0.001
            balance share   0.25 % of the 10000 USDT free
            exchange check  accepted by the exchange's order test
            rounding        price 20000.123 -> 20000.12: rounded down to the tick size 0.01
            """)
    }

    @Test func rejectionAndUnknownMembersAreShown() throws {
        guard case .object(var members) = preview else { return }
        members["exchangeVerdict"] = .object(["accepted": false, "code": -2010, "message": "Account has insufficient balance."])
        members["adjustments"] = .array([])
        members["notionalEstimated"] = true
        members["warning"] = "Spread is wide."
        let text = try #require(PreviewView.render(.object(members), style: .plain))
        #expect(text.contains("exchange check  rejected by the exchange's order test: Account has insufficient balance. "
            + "(code -2010)"))
        #expect(text.contains("rounding        none"))
        #expect(text.contains("notional        24.6001476 USDT, estimated from the current price"))
        #expect(text.contains("warning         Spread is wide."))
    }

    @Test func otherDataIsNotAPreview() {
        #expect(PreviewView.render(.object(["symbol": "BTCUSDT"]), style: .plain) == nil)
    }
}

struct StatusViewTests {
    func status(halted: JSONValue, tradingAllowed: Bool = true) -> JSONValue {
        .object([
            "venue": "sim", "baseURL": "sim://spot", "hasCredentials": true, "clockOffsetMs": 0,
            "clockSynchronized": false, "weightUsed": 62, "weightLimit": 6000, "recvWindowMs": 5000,
            "tradingAllowed": .bool(tradingAllowed), "tools": 27, "symbolAllowlist": .array([]),
            "exchangeInfoAgeSeconds": .object(["spot": 0]),
            "tradingGuard": .object([
                "venue": "sim", "halted": halted, "trading_allowed": .bool(tradingAllowed), "real_money": false,
                "confirmation_required": false, "symbol_allowlist": .array([]), "allowed_order_types": .array([]),
                "paused_symbols": .array([]),
            ]),
        ])
    }

    @Test func runningVenueSaysNotHalted() throws {
        let text = try #require(StatusView.render(status(halted: .null), style: .plain))
        #expect(text.contains("venue             sim (paper money)\n"))
        #expect(text.contains("request weight    62 of 6000 used this minute\n"))
        #expect(text.contains("halted            no\n"))
        #expect(text.contains("trading allowed   yes\n"))
        #expect(text.contains("clock offset      0 ms (not synchronized yet)\n"))
    }

    @Test func haltedVenueRefusesTrading() throws {
        let record: JSONValue = .object(["reason": "halt command in the shell", "since": "2026-06-01T00:00:00.000Z"])
        let text = try #require(StatusView.render(status(halted: record), style: .plain))
        #expect(text.contains("halted            yes, since 2026-06-01T00:00:00.000Z: halt command in the shell "
            + "('resume' lifts it)\n"))
        #expect(text.contains("trading allowed   no: trading is halted\n"))
    }

    @Test func tradingOffIsExplained() throws {
        let text = try #require(StatusView.render(status(halted: .null, tradingAllowed: false), style: .plain))
        #expect(text.contains("trading allowed   no: trading is off on this venue (BINANCE_ALLOW_TRADING)\n"))
    }
}

struct WatchFrameTests {
    @Test func tallFramesAreCutToTheScreen() {
        let frame = (1...50).map { "line \($0)" }.joined(separator: "\n")
        let fitted = TerminalWatchPresenter.fitting(frame, rows: 10)
        let lines = fitted.split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        #expect(lines[7] == "line 8")
        #expect(lines[8] == "(42 more lines: enlarge the window to see them)")
    }

    @Test func shortFramesAreKept() {
        #expect(TerminalWatchPresenter.fitting("a\nb", rows: 10) == "a\nb\n")
        #expect(TerminalWatchPresenter.fitting("a\nb", rows: nil) == "a\nb\n")
    }
}
