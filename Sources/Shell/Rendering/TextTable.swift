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

    /// Chooses `.decimal` for columns whose cells are all numbers, apart from empty cells and `-` (no value).
    package static func detectAlignments(headers: [String], rows: [[String]]) -> [Alignment] {
        headers.indices.map { column in
            let cells = rows.compactMap { $0.indices.contains(column) ? $0[column] : nil }
                .filter { !$0.isEmpty && $0 != "-" }
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

        let headerCells = (0..<columnCount).map { column -> String in
            alignments[column] == .decimal
                ? Self.padLeft(headers[column], to: widths[column]) : Self.padRight(headers[column], to: widths[column])
        }
        // Rows are written as bytes into one buffer, which avoids making a string for every padded cell and line.
        var output: [UInt8] = []
        output.reserveCapacity((widths.reduce(0, +) + 2 * columnCount + 1) * (rows.count + 2))
        output.append(contentsOf: style(Self.join(headerCells)).utf8)
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: Self.join(widths.map { String(repeating: "-", count: $0) }).utf8)
        for row in rows {
            output.append(UInt8(ascii: "\n"))
            let lineStart = output.count
            for column in 0..<columnCount {
                if column > 0 { Self.appendSpaces(2, to: &output) }
                let cell = column < row.count ? row[column] : ""
                let width = widths[column]
                switch alignments[column] {
                case .left:
                    Self.appendPaddedRight(cell, to: width, into: &output)
                case .mixed:
                    guard Self.isNumber(cell) else {
                        Self.appendPaddedRight(cell, to: width, into: &output)
                        continue
                    }
                    let integer = Self.splitNumber(cell).integer
                    let integerPadding = integerWidths[column] - integer.utf8.count
                    Self.appendSpaces(integerPadding, to: &output)
                    output.append(contentsOf: cell.utf8)
                    Self.appendSpaces(width - max(integerPadding, 0) - cell.utf8.count, to: &output)
                case .decimal:
                    guard Self.isNumber(cell) else {
                        Self.appendSpaces(width - Self.width(cell), to: &output)
                        output.append(contentsOf: cell.utf8)
                        continue
                    }
                    let (integer, fraction) = Self.splitNumber(cell)
                    let integerWidth = max(integerWidths[column], integer.utf8.count)
                    let fractionWidth = max(fractionWidths[column], fraction.utf8.count)
                    Self.appendSpaces(width - integerWidth - fractionWidth, to: &output)
                    Self.appendSpaces(integerWidth - integer.utf8.count, to: &output)
                    output.append(contentsOf: cell.utf8)
                    Self.appendSpaces(fractionWidth - fraction.utf8.count, to: &output)
                }
            }
            while output.count > lineStart, output.last == UInt8(ascii: " ") { output.removeLast() }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendSpaces(_ count: Int, to output: inout [UInt8]) {
        guard count > 0 else { return }
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    private static func appendPaddedRight(_ text: String, to width: Int, into output: inout [UInt8]) {
        output.append(contentsOf: text.utf8)
        appendSpaces(width - Self.width(text), to: &output)
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
