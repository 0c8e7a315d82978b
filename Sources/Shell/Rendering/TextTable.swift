/// A table of text cells laid out in aligned columns.
///
/// Number columns are right-aligned on their decimal points: the integer parts are right-aligned and the
/// fraction parts left-aligned, so `70000.5` and `123.25` line up on the `.`.
package struct TextTable: Sendable {
    package enum Alignment: Sendable {
        case left
        /// Aligned on the decimal point; cells that are not numbers are right-aligned.
        case decimal
        /// For columns of mixed values: numbers aligned on the decimal point as a left-aligned block, text
        /// left-aligned.
        case mixed
    }

    package var headers: [String]
    package var rows: [[String]]
    package var alignments: [Alignment]

    package init(headers: [String], rows: [[String]], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments ?? Self.detectAlignments(headers: headers, rows: rows)
    }

    /// Chooses `.decimal` for columns whose non-empty cells are all numbers.
    package static func detectAlignments(headers: [String], rows: [[String]]) -> [Alignment] {
        headers.indices.map { column in
            let cells = rows.compactMap { $0.indices.contains(column) ? $0[column] : nil }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(isNumber) ? .decimal : .left
        }
    }

    /// Returns the table as lines joined by newlines, without a trailing newline. Headers come first, then a rule.
    package func rendered(header style: (String) -> String = { $0 }) -> String {
        let columnCount = headers.count
        var integerWidths = [Int](repeating: 0, count: columnCount)
        var fractionWidths = [Int](repeating: 0, count: columnCount)
        var widths = headers.map(Self.width)

        for row in rows {
            for column in 0..<columnCount {
                let cell = column < row.count ? row[column] : ""
                if alignments[column] != .left, Self.isNumber(cell) {
                    let (integer, fraction) = Self.splitNumber(cell)
                    integerWidths[column] = max(integerWidths[column], integer.utf8.count)
                    fractionWidths[column] = max(fractionWidths[column], fraction.utf8.count)
                }
                widths[column] = max(widths[column], Self.width(cell))
            }
        }
        for column in 0..<columnCount where alignments[column] != .left {
            widths[column] = max(widths[column], integerWidths[column] + fractionWidths[column])
        }

        var lines: [String] = []
        let headerCells = (0..<columnCount).map { column -> String in
            alignments[column] == .decimal
                ? Self.padLeft(headers[column], to: widths[column]) : Self.padRight(headers[column], to: widths[column])
        }
        lines.append(style(Self.join(headerCells)))
        lines.append(Self.join(widths.map { String(repeating: "-", count: $0) }))
        for row in rows {
            let cells = (0..<columnCount).map { column -> String in
                let cell = column < row.count ? row[column] : ""
                switch alignments[column] {
                case .left:
                    return Self.padRight(cell, to: widths[column])
                case .mixed:
                    guard Self.isNumber(cell) else { return Self.padRight(cell, to: widths[column]) }
                    let (integer, fraction) = Self.splitNumber(cell)
                    let aligned = Self.padLeft(integer, to: integerWidths[column]) + String(fraction)
                    return Self.padRight(aligned, to: widths[column])
                case .decimal:
                    guard Self.isNumber(cell) else { return Self.padLeft(cell, to: widths[column]) }
                    let (integer, fraction) = Self.splitNumber(cell)
                    let aligned = Self.padLeft(integer, to: integerWidths[column])
                        + Self.padRight(fraction, to: fractionWidths[column])
                    return Self.padLeft(aligned, to: widths[column])
                }
            }
            lines.append(Self.join(cells))
        }
        return lines.joined(separator: "\n")
    }

    /// Returns the rows alone, aligned as in `rendered`, without the header and rule lines.
    package func renderedRows() -> [String] {
        rendered().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
    }

    private static func join(_ cells: [String]) -> String {
        var line = cells.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }

    /// Returns true for plain decimal text such as `-12.50` or `7`.
    package static func isNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 48, first <= 57 else { return false }
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return false }
                seenPoint = true
            } else if byte < 48 || byte > 57 {
                return false
            }
        }
        return bytes.last != UInt8(ascii: ".")
    }

    /// Splits `12.50` into `12` and `.50`. Callers pass only text that `isNumber` accepted, which is ASCII.
    private static func splitNumber(_ text: String) -> (integer: Substring, fraction: Substring) {
        guard let point = text.utf8.firstIndex(of: UInt8(ascii: ".")) else { return (text[...], "") }
        return (text[..<point], text[point...])
    }

    /// Returns the number of characters in `text`. ASCII text, nearly every cell, is measured by its bytes,
    /// which avoids the grapheme-cluster walk of `String.count`.
    static func width(_ text: some StringProtocol) -> Int {
        let utf8 = text.utf8
        return utf8.allSatisfy { $0 < 0x80 } ? utf8.count : text.count
    }

    static func padLeft(_ text: some StringProtocol, to width: Int) -> String {
        let count = Self.width(text)
        return count >= width ? String(text) : String(repeating: " ", count: width - count) + String(text)
    }

    static func padRight(_ text: some StringProtocol, to width: Int) -> String {
        let count = Self.width(text)
        return count >= width ? String(text) : String(text) + String(repeating: " ", count: width - count)
    }
}
