/// A hint for the shell's table renderer: which array of a result's `data` to show as rows, and which of
/// each row's members to show as columns, in order.
package struct TableLayout: Sendable, Hashable {
    /// Name of the member of `data` shown as the table: an array gives one row per element, an object one
    /// row. Nil when `data` itself is the one row.
    package var rows: String?
    /// Members of each row to show, in order. Members that a row lacks show as empty cells.
    package var columns: [String]
    /// Columns holding decimals, which the renderer aligns on the decimal point.
    package var decimalColumns: Set<String>

    package init(rows: String?, columns: [String], decimalColumns: Set<String> = []) {
        self.rows = rows
        self.columns = columns
        self.decimalColumns = decimalColumns
    }
}
