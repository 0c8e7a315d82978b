/// ANSI colours and emphasis, or none: colour only on a terminal and never when `NO_COLOR` is set.
package struct TextStyle: Sendable {
    package var isEnabled: Bool

    package static let plain = TextStyle(isEnabled: false)

    package init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Decides from the environment: enabled when `isTerminal` is true and `NO_COLOR` is absent or empty.
    package static func forTerminal(isTerminal: Bool, environment: [String: String]) -> TextStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(isEnabled: isTerminal && !noColor)
    }

    package func bold(_ text: String) -> String { wrap(text, "1") }
    package func dim(_ text: String) -> String { wrap(text, "2") }
    package func red(_ text: String) -> String { wrap(text, "31") }
    package func green(_ text: String) -> String { wrap(text, "32") }
    package func yellow(_ text: String) -> String { wrap(text, "33") }
    package func cyan(_ text: String) -> String { wrap(text, "36") }
    /// Bold white on red, for the `LIVE` venue.
    package func warning(_ text: String) -> String { wrap(text, "1;97;41") }

    private func wrap(_ text: String, _ code: String) -> String {
        isEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
