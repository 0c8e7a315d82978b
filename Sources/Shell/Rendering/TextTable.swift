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

        // Each cell is measured once, row by row, and the second pass reads the measurements.
        var measured: [CellMeasure] = []
        measured.reserveCapacity(rows.count * columnCount)
        for row in rows {
            for column in 0..<columnCount {
                let cell = column < row.count ? row[column] : ""
                let measure = CellMeasure(cell)
                measured.append(measure)
                if alignments[column] != .left, measure.isNumber {
                    integerWidths[column] = max(integerWidths[column], measure.integerLength)
                    fractionWidths[column] = max(fractionWidths[column], measure.fractionLength)
                }
                widths[column] = max(widths[column], measure.width)
            }
        }
        for column in 0..<columnCount where alignments[column] != .left {
            widths[column] = max(widths[column], integerWidths[column] + fractionWidths[column])
        }

        // Rows are written as bytes into one buffer, which avoids making a string for every padded cell and line.
        var output: [UInt8] = []
        output.reserveCapacity((widths.reduce(0, +) + 2 * columnCount + 1) * (rows.count + 2))
        var headerLine: [UInt8] = []
        for column in 0..<columnCount {
            if column > 0 { Self.appendSpaces(2, to: &headerLine) }
            let header = headers[column]
            let padding = widths[column] - Self.width(header)
            if alignments[column] == .decimal { Self.appendSpaces(padding, to: &headerLine) }
            headerLine.append(contentsOf: header.utf8)
            if alignments[column] != .decimal { Self.appendSpaces(padding, to: &headerLine) }
        }
        while headerLine.last == UInt8(ascii: " ") { headerLine.removeLast() }
        output.append(contentsOf: style(String(decoding: headerLine, as: UTF8.self)).utf8)
        output.append(UInt8(ascii: "\n"))
        let ruleStart = output.count
        for column in 0..<columnCount {
            if column > 0 { Self.appendSpaces(2, to: &output) }
            output.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: widths[column]))
        }
        while output.count > ruleStart, output.last == UInt8(ascii: " ") { output.removeLast() }
        for (rowIndex, row) in rows.enumerated() {
            output.append(UInt8(ascii: "\n"))
            let lineStart = output.count
            for column in 0..<columnCount {
                if column > 0 { Self.appendSpaces(2, to: &output) }
                let cell = column < row.count ? row[column] : ""
                let measure = measured[rowIndex * columnCount + column]
                let width = widths[column]
                switch alignments[column] {
                case .left:
                    output.append(contentsOf: cell.utf8)
                    Self.appendSpaces(width - measure.width, to: &output)
                case .mixed:
                    guard measure.isNumber else {
                        output.append(contentsOf: cell.utf8)
                        Self.appendSpaces(width - measure.width, to: &output)
                        continue
                    }
                    let integerPadding = integerWidths[column] - measure.integerLength
                    Self.appendSpaces(integerPadding, to: &output)
                    output.append(contentsOf: cell.utf8)
                    Self.appendSpaces(width - max(integerPadding, 0) - measure.width, to: &output)
                case .decimal:
                    guard measure.isNumber else {
                        Self.appendSpaces(width - measure.width, to: &output)
                        output.append(contentsOf: cell.utf8)
                        continue
                    }
                    let integerWidth = max(integerWidths[column], measure.integerLength)
                    let fractionWidth = max(fractionWidths[column], measure.fractionLength)
                    Self.appendSpaces(width - integerWidth - fractionWidth, to: &output)
                    Self.appendSpaces(integerWidth - measure.integerLength, to: &output)
                    output.append(contentsOf: cell.utf8)
                    Self.appendSpaces(fractionWidth - measure.fractionLength, to: &output)
                }
            }
            while output.count > lineStart, output.last == UInt8(ascii: " ") { output.removeLast() }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A cell's display width and, for plain decimal text (what `isNumber` accepts), the lengths of the parts
    /// before and from the point, in bytes. Such text is ASCII, so bytes and characters agree.
    private struct CellMeasure {
        var width: Int
        var isNumber: Bool
        var integerLength: Int
        var fractionLength: Int

        init(_ text: String) {
            var contiguous = text
            self = contiguous.withUTF8 { Self(bytes: $0) } ?? CellMeasure(width: text.count)
        }

        private init(width: Int) {
            self.width = width
            isNumber = false
            integerLength = 0
            fractionLength = 0
        }

        /// Measures UTF-8 bytes; returns nil for text that is not ASCII, whose width needs its characters.
        private init?(bytes: UnsafeBufferPointer<UInt8>) {
            var isASCII = true
            var isNumber = true
            var byteCount = 0
            var pointOffset: Int?
            var lastByte: UInt8 = 0
            for byte in bytes {
                if byte >= 0x80 { isASCII = false }
                if isNumber {
                    if byte == UInt8(ascii: ".") {
                        // A point must follow a digit, and only one is allowed.
                        if pointOffset != nil || !(lastByte &- UInt8(ascii: "0") < 10) { isNumber = false }
                        pointOffset = byteCount
                    } else if byte == UInt8(ascii: "-") {
                        if byteCount != 0 { isNumber = false }
                    } else if byte &- UInt8(ascii: "0") >= 10 {
                        isNumber = false
                    }
                }
                lastByte = byte
                byteCount += 1
            }
            guard isASCII else { return nil }
            // The first character after an optional sign is a digit, and the text does not end with a point.
            if isNumber {
                let firstDigitOffset = bytes.first == UInt8(ascii: "-") ? 1 : 0
                if byteCount <= firstDigitOffset || pointOffset == firstDigitOffset || lastByte == UInt8(ascii: ".") {
                    isNumber = false
                }
            }
            width = byteCount
            self.isNumber = isNumber
            integerLength = isNumber ? (pointOffset ?? byteCount) : 0
            fractionLength = isNumber ? byteCount - (pointOffset ?? byteCount) : 0
        }
    }

    private static func appendSpaces(_ count: Int, to output: inout [UInt8]) {
        guard count > 0 else { return }
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// Returns the rows alone, aligned as in `rendered`, without the header and rule lines.
    package func renderedRows() -> [String] {
        rendered().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
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
