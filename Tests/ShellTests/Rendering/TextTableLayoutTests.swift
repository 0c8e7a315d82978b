import Shell
import Testing

/// The one-pass layout of `TextTable` against a plain layout written from the alignment rules, on random tables.
struct TextTableLayoutTests {
    /// Lays out the table from the rules alone: widths from every cell, numbers split at the point.
    private static func expectedLines(_ table: TextTable) -> String {
        func width(_ text: String) -> Int { text.count }
        func split(_ text: String) -> (integer: String, fraction: String) {
            guard let point = text.firstIndex(of: ".") else { return (text, "") }
            return (String(text[..<point]), String(text[point...]))
        }
        let columns = table.headers.count
        var widths = table.headers.map(width)
        var integerWidths = [Int](repeating: 0, count: columns)
        var fractionWidths = [Int](repeating: 0, count: columns)
        for row in table.rows {
            for column in 0..<columns {
                let cell = column < row.count ? row[column] : ""
                if table.alignments[column] != .left, TextTable.isNumber(cell) {
                    integerWidths[column] = max(integerWidths[column], split(cell).integer.count)
                    fractionWidths[column] = max(fractionWidths[column], split(cell).fraction.count)
                }
                widths[column] = max(widths[column], width(cell))
            }
        }
        for column in 0..<columns where table.alignments[column] != .left {
            widths[column] = max(widths[column], integerWidths[column] + fractionWidths[column])
        }
        func spaces(_ count: Int) -> String { String(repeating: " ", count: max(count, 0)) }
        func trimmed(_ line: String) -> String {
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        var lines: [String] = []
        lines.append(trimmed((0..<columns).map { column in
            let header = table.headers[column]
            let padding = spaces(widths[column] - width(header))
            return table.alignments[column] == .decimal ? padding + header : header + padding
        }.joined(separator: "  ")))
        lines.append(trimmed(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")))
        for row in table.rows {
            lines.append(trimmed((0..<columns).map { column in
                let cell = column < row.count ? row[column] : ""
                let isNumber = TextTable.isNumber(cell)
                switch table.alignments[column] {
                case .left:
                    return cell + spaces(widths[column] - width(cell))
                case .mixed where isNumber:
                    let lead = spaces(integerWidths[column] - split(cell).integer.count)
                    return lead + cell + spaces(widths[column] - lead.count - width(cell))
                case .mixed:
                    return cell + spaces(widths[column] - width(cell))
                case .decimal where isNumber:
                    let parts = split(cell)
                    let used = integerWidths[column] + fractionWidths[column]
                    return spaces(widths[column] - used) + spaces(integerWidths[column] - parts.integer.count) + cell
                        + spaces(fractionWidths[column] - parts.fraction.count)
                case .decimal:
                    return spaces(widths[column] - width(cell)) + cell
                }
            }.joined(separator: "  ")))
        }
        return lines.joined(separator: "\n")
    }

    @Test func randomTablesMatchTheRules() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["", "0", "7", "-3", "12.5", "0.0001", "-0.25", "1879.29", "1.", ".5", "-", "1.2.3", "BTCUSDT",
                      "ask", "é", "日本", "x y", "65749.97", "-12.50", "1-2"]
        let alignments: [TextTable.Alignment] = [.left, .decimal, .mixed]
        for _ in 0..<500 {
            let columns = Int.random(in: 1...4, using: &generator)
            let headers = (0..<columns).map { _ in pieces.randomElement(using: &generator)! }
            let rows = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                (0..<Int.random(in: 0...columns, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            }
            let chosen = (0..<columns).map { _ in alignments.randomElement(using: &generator)! }
            let table = TextTable(headers: headers, rows: rows, alignments: chosen)
            let expected = Self.expectedLines(table)
            let rendered = table.rendered()
            if rendered != expected {
                Issue.record("headers \(headers), rows \(rows), alignments \(chosen):\n\(rendered)\nexpected:\n\(expected)")
                return
            }
        }
    }
}
