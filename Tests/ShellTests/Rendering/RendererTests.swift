import BinanceAPI
import Foundation
import Shell
import Testing
@testable import Tools

struct TextTableTests {
    @Test func decimalPointsLineUp() {
        let table = TextTable(headers: ["asset", "free"], rows: [["BTC", "0.5"], ["USDT", "10000.25"], ["ETH", "3"]])
        #expect(table.rendered() == """
            asset      free
            -----  --------
            BTC        0.5
            USDT   10000.25
            ETH        3
            """)
    }

    @Test func textColumnsStayLeftAligned() {
        let table = TextTable(headers: ["a", "b"], rows: [["x", "1"], ["longer", "22"]])
        #expect(table.alignments.count == 2)
        #expect(table.rendered().split(separator: "\n").last == "longer  22")
    }

    @Test func decimalColumnPadsTextAndSigns() {
        let table = TextTable(
            headers: ["name", "value"],
            rows: [["Ü-asset", "-1.5"], ["x", "n/a"], ["yy", "12.25"]],
            alignments: [.left, .decimal]
        )
        let lines = table.rendered().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == "name" + String(repeating: " ", count: 5) + "value")
        #expect(lines[1] == "-------  -----")
        #expect(lines[2] == "Ü-asset  -1.5")
        #expect(lines[3] == "x" + String(repeating: " ", count: 10) + "n/a")
        #expect(lines[4] == "yy" + String(repeating: " ", count: 7) + "12.25")
    }

    @Test func mixedColumnAlignsNumbersOnly() {
        let table = TextTable(
            headers: ["", ""],
            rows: [["price", "70000.5"], ["status", "FILLED"], ["qty", "0.125"], ["short"]],
            alignments: [.left, .mixed]
        )
        #expect(table.renderedRows() == [
            "price   70000.5",
            "status  FILLED",
            "qty" + String(repeating: " ", count: 9) + "0.125",
            "short",
        ])
    }

    @Test(arguments: ["1", "-2.5", "0.00001", "70000.12"])
    func recognizesNumbers(_ text: String) { #expect(TextTable.isNumber(text)) }

    @Test(arguments: ["", "1e-5", "NaN", "1.", ".5", "1.2.3", "BTC", "1,000"])
    func rejectsNonNumbers(_ text: String) { #expect(!TextTable.isNumber(text)) }
}

struct ResultRendererTests {
    func renderer(utc: Bool = true, precision: SymbolPrecision? = nil) -> ResultRenderer {
        var options = RenderOptions()
        options.usesUTC = utc
        options.localTimeZone = TimeZone(identifier: "Asia/Tokyo")!
        options.precision = { _ in precision }
        return ResultRenderer(options: options)
    }

    @Test func objectBecomesKeyValueLines() {
        let text = renderer().render(.success(.object(["symbol": .string("BTCUSDT"), "price": .string("70000.12000000")])))
        #expect(text == "symbol  BTCUSDT\nprice   70000.12")
    }

    @Test func pricesUseTheSymbolPrecision() {
        let text = renderer(precision: SymbolPrecision(priceScale: 2, quantityScale: 5))
            .render(.success(.object(["symbol": .string("BTCUSDT"), "price": .string("70000.10000000"),
                                      "origQty": .string("0.00100000")])))
        #expect(text == "symbol   BTCUSDT\nprice    70000.10\norigQty      0.00100")
    }

    @Test func arrayOfObjectsBecomesTable() {
        let data: JSONValue = .array([
            .object(["asset": .string("BTC"), "free": .string("0.10000000"), "locked": .string("0")]),
            .object(["asset": .string("USDT"), "free": .string("10000.5"), "locked": .string("12.25")]),
        ])
        #expect(renderer().render(.success(data)) == """
            asset     free  locked
            -----  -------  ------
            BTC        0.1    0
            USDT   10000.5   12.25
            """)
    }

    @Test func timesAreLocalOrUTC() {
        let data: JSONValue = .object(["time": .int64(1_767_225_600_000)])
        #expect(renderer(utc: true).render(.success(data)) == "time  2026-01-01 00:00:00Z")
        #expect(renderer(utc: false).render(.success(data)) == "time  2026-01-01 09:00:00")
    }

    @Test func orderBookShowsAsksAboveBids() {
        let data: JSONValue = .object([
            "symbol": .string("BTCUSDT"),
            "bids": .array([.array([.string("99.5"), .string("1")]), .array([.string("99"), .string("2.25")])]),
            "asks": .array([.array([.string("100"), .string("0.5")]), .array([.string("100.25"), .string("3")])]),
        ])
        #expect(renderer().render(.success(data)) == """
            BTCUSDT
            side   price  quantity
            ----  ------  --------
            ask   100.25      3
            ask   100         0.5
            bid    99.5       1
            bid    99         2.25
            """)
    }

    @Test func neverPrintsScientificNotation() {
        let text = renderer().render(.success(.object(["fee": .number(Decimal(string: "0.00001")!)])))
        #expect(text == "fee  0.00001")
    }

    @Test func emptyListSaysNone() {
        #expect(renderer().render(.success(.array([]))) == "(none)")
    }

    @Test func jsonModePrintsTheStructuredObject() {
        var options = RenderOptions()
        options.format = .json
        let result = ToolResult.success(.object(["price": .string("1.5")]))
        #expect(ResultRenderer(options: options).render(result) == #"{"data":{"price":"1.5"},"success":true}"#)
    }
}

struct TextStyleTests {
    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(TextStyle.forTerminal(isTerminal: true, environment: [:]).isEnabled)
        #expect(!TextStyle.forTerminal(isTerminal: false, environment: [:]).isEnabled)
        #expect(!TextStyle.forTerminal(isTerminal: true, environment: ["NO_COLOR": "1"]).isEnabled)
        #expect(TextStyle.plain.red("x") == "x")
        #expect(TextStyle(isEnabled: true).red("x") == "\u{1B}[31mx\u{1B}[0m")
    }

    @Test func promptShowsVenueAndSymbol() {
        #expect(Prompt.text(venue: .sim, baseURL: nil, symbol: nil, style: .plain) == "sim> ")
        #expect(Prompt.text(venue: .live, baseURL: nil, symbol: "BTCUSDT", style: .plain) == "LIVE BTCUSDT> ")
        let coloured = Prompt.text(venue: .live, baseURL: nil, symbol: nil, style: TextStyle(isEnabled: true))
        #expect(coloured == "\u{1}\u{1B}[1;97;41m\u{2}LIVE\u{1}\u{1B}[0m\u{2}> ")
        let sim = Prompt.text(venue: .sim, baseURL: nil, symbol: nil, style: TextStyle(isEnabled: true))
        #expect(sim == "\u{1}\u{1B}[36m\u{2}sim\u{1}\u{1B}[0m\u{2}> ")
    }
}

struct LayoutRendererTests {
    let renderer = ResultRenderer(options: RenderOptions())

    @Test func layoutPicksRowsAndColumns() {
        let data: JSONValue = .object([
            "accountType": .string("SPOT"),
            "balances": .array([
                .object(["asset": .string("BTC"), "free": .string("0.5"), "locked": .string("0"), "extra": .bool(true)]),
                .object(["asset": .string("USDT"), "free": .string("100.25"), "locked": .string("1")]),
            ]),
        ])
        let layout = TableLayout(rows: "balances", columns: ["asset", "free", "locked"], decimalColumns: ["free"])
        #expect(renderer.render(.success(data), layout: layout) == """
            asset    free  locked
            -----  ------  ------
            BTC      0.5        0
            USDT   100.25       1
            """)
    }

    @Test func oneRowLayoutReadsANestedOrder() {
        let data: JSONValue = .object([
            "venue": .string("sim"),
            "order": .object(["symbol": .string("BTCUSDT"), "orderId": .int(7), "status": .string("CANCELED")]),
        ])
        let layout = TableLayout(rows: nil, columns: ["symbol", "orderId", "status"])
        #expect(renderer.render(.success(data), layout: layout) == """
            symbol   orderId  status
            -------  -------  --------
            BTCUSDT        7  CANCELED
            """)
    }

    @Test func emptyRowsSayNone() {
        let data: JSONValue = .object(["orders": .array([])])
        let layout = TableLayout(rows: "orders", columns: ["orderId"])
        #expect(renderer.render(.success(data), layout: layout) == "(no orders)")
    }

    // MARK: - Orders without a limit price

    private static func order(
        id: Int,
        type: String,
        price: String,
        executed: String,
        quoteTotal: String?
    ) -> JSONValue {
        var members: [String: JSONValue] = [
            "symbol": "BTCUSDT", "orderId": .int(id), "type": .string(type), "price": .string(price),
            "executedQty": .string(executed),
        ]
        if let quoteTotal { members["cummulativeQuoteQty"] = .string(quoteTotal) }
        return .object(members)
    }

    private static func renderer(precision: SymbolPrecision) -> ResultRenderer {
        var options = RenderOptions()
        options.precision = { _ in precision }
        return ResultRenderer(options: options)
    }

    private static let orderLayout = TableLayout(rows: "orders", columns: ["orderId", "type", "price", "executedQty"])

    @Test func marketOrderShowsAverageFillPrice() {
        let data: JSONValue = .object(["orders": .array([
            Self.order(id: 1, type: "MARKET", price: "0.00000000", executed: "0.00300000", quoteTotal: "197.87685000"),
            Self.order(id: 2, type: "LIMIT", price: "70000.10000000", executed: "0", quoteTotal: "0"),
        ])])
        let text = Self.renderer(precision: SymbolPrecision(priceScale: 2, quantityScale: 5))
            .render(.success(data), layout: Self.orderLayout)

        #expect(text == """
            orderId  type       price  executedQty
            -------  ------  --------  -----------
                  1  MARKET  65958.95      0.00300
                  2  LIMIT   70000.10      0.00000
            """)
    }

    /// Fills at 100.01 and 100.02 average 100.015: the average keeps its digits instead of being cut to the tick.
    @Test func averageFinerThanTickKeepsDigits() {
        let data: JSONValue = .object(["orders": .array([
            Self.order(id: 3, type: "MARKET", price: "0", executed: "2", quoteTotal: "200.03"),
            Self.order(id: 4, type: "MARKET", price: "0", executed: "3", quoteTotal: "100"),
        ])])
        let text = Self.renderer(precision: SymbolPrecision(priceScale: 2, quantityScale: 0))
            .render(.success(data), layout: Self.orderLayout)

        #expect(text == """
            orderId  type           price  executedQty
            -------  ------  ------------  -----------
                  3  MARKET  100.015                 2
                  4  MARKET   33.33333333            3
            """)
    }

    @Test(arguments: [
        ("0", "0", "0"),
        ("0", "0.5", nil),
        ("0", "0.5", "-1"),
    ] as [(String, String, String?)])
    func unfilledOrderShowsDash(_ price: String, _ executed: String, _ quoteTotal: String?) {
        let data: JSONValue = .object(["orders": .array([
            Self.order(id: 5, type: "STOP_LOSS", price: price, executed: executed, quoteTotal: quoteTotal),
            Self.order(id: 6, type: "LIMIT", price: "250.5", executed: "0", quoteTotal: "0"),
        ])])
        let lines = renderer.render(.success(data), layout: Self.orderLayout).split(separator: "\n")

        #expect(lines.count == 4)
        #expect(lines[2].hasPrefix("      5  STOP_LOSS      -"), "\(lines)")
        #expect(lines[3].hasPrefix("      6  LIMIT      250.5"), "\(lines)")
    }

    @Test func singleOrderViewShowsAverage() {
        let data = Self.order(id: 7, type: "MARKET", price: "0.00", executed: "0.001", quoteTotal: "65.95895")

        let text = renderer.render(.success(.object(["order": data])))

        #expect(text.contains("price                65958.95\n"), "\(text)")
        #expect(!text.contains(" 0\n"), "\(text)")
    }

    @Test func zeroPriceOutsideOrdersIsKept() {
        let data: JSONValue = .object(["symbol": "BTCUSDT", "price": .string("0.00000000")])

        #expect(renderer.render(.success(data)) == "symbol  BTCUSDT\nprice   0")
    }
}

struct CanonicalDecimalTests {
    /// Returns what the general path makes of `text`: `DecimalText` parsing and formatting.
    private func reference(_ text: String, scale: Int?) -> String? {
        guard let number = DecimalText.parse(text, allowNegative: true) else { return nil }
        return scale.map { DecimalText.format(number, scale: $0) } ?? DecimalText.format(number)
    }

    @Test(arguments: [
        ("0", 2, "0.00"), ("70000.5", 2, "70000.50"), ("1865.0712", 2, "1865.07"), ("0.001", 2, "0.00"),
        ("8.0867", 4, "8.0867"), ("12", 0, "12"), ("12.9", 0, "12"), ("0.5", nil, "0.5"),
    ] as [(String, Int?, String)])
    func formatsPlainText(_ text: String, _ scale: Int?, _ expected: String) {
        #expect(ResultRenderer.formatCanonicalDecimal(text, scale: scale) == expected)
        #expect(reference(text, scale: scale) == expected)
    }

    @Test(arguments: ["-1.5", "01", "00.5", "1.50", "1.", ".5", "1e5", "", "abc", "1.2.3", "1234567890123456789"])
    func leavesOtherTextToDecimalText(_ text: String) {
        #expect(ResultRenderer.formatCanonicalDecimal(text, scale: 2) == nil)
        #expect(ResultRenderer.formatCanonicalDecimal(text, scale: nil) == nil)
    }

    @Test func matchesDecimalTextOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        }
        var checked = 0
        for _ in 0..<5_000 {
            let integer = Bool.random(using: &generator) ? "0" : String(Int.random(in: 1...9, using: &generator))
                + digits(Int.random(in: 0...17, using: &generator))
            let fraction = digits(Int.random(in: 0...18, using: &generator))
            let text = fraction.isEmpty ? integer : integer + "." + fraction
            let scale: Int? = Bool.random(using: &generator) ? nil : Int.random(in: 0...12, using: &generator)
            guard let fast = ResultRenderer.formatCanonicalDecimal(text, scale: scale) else { continue }
            checked += 1
            #expect(fast == reference(text, scale: scale), "text \(text), scale \(String(describing: scale))")
        }
        #expect(checked > 1_000)
    }
}
