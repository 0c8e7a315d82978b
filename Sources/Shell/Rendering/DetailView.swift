import BinanceAPI
import Tools

/// A two-column table of labelled values, for results that read better as a form than as a row.
struct DetailView {
    private(set) var rows: [[String]] = []

    /// Adds a row; a multi-line value continues on rows with an empty label.
    mutating func add(_ label: String, _ value: String) {
        let lines = value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            rows.append([index == 0 ? label : "", line])
        }
    }

    func rendered() -> String {
        TextTable(headers: ["", ""], rows: rows, alignments: [.left, .left]).renderedRows().joined(separator: "\n")
    }

    /// Returns a scalar as text, and arrays and objects as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "yes" : "no"
        case .string(let text): return text
        case .number(let number): return DecimalText.format(number)
        case .array(let elements):
            if elements.allSatisfy({ $0.stringValue != nil }) {
                return elements.compactMap(\.stringValue).joined(separator: ", ")
            }
            return value.serialized()
        case .object: return value.serialized()
        }
    }
}
