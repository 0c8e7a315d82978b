/// Splits command text into commands and words, the way a POSIX shell does for simple commands.
///
/// - `;` and newlines separate commands; `#` at the start of a word starts a comment to the end of the line.
/// - Single quotes keep everything literally. Double quotes keep everything except `\"` and `\\`.
/// - Outside quotes a backslash makes the next character literal.
package enum Tokenizer {
    /// One command of a script: its words and the line it started on (1-based).
    package struct Command: Sendable, Equatable {
        package var line: Int
        package var words: [String]

        package init(line: Int, words: [String]) {
            self.line = line
            self.words = words
        }
    }

    /// Splits one line into commands; empty commands (blank, comment only, `;;`) are left out.
    /// - Throws: `ShellError` for an unterminated quote or a trailing backslash.
    package static func commands(in line: String, lineNumber: Int = 1) throws(ShellError) -> [Command] {
        var scanner = Scanner(text: line, stopsAtErrors: true)
        let groups = scanner.scan()
        if let error = scanner.error { throw error }
        return groups.filter { !$0.isEmpty }.map { Command(line: lineNumber, words: $0.map(\.text)) }
    }

    /// Words of the command that the end of `text` belongs to, for completion.
    ///
    /// Never fails: an open quote extends to the end. `isAtWordStart` is true when `text` ends between words,
    /// so the word being completed is empty and not part of `words`.
    package static func partialCommand(_ text: String) -> (words: [String], isAtWordStart: Bool) {
        var scanner = Scanner(text: text, stopsAtErrors: false)
        let groups = scanner.scan()
        let last = groups.last ?? []
        return (last.map(\.text), !scanner.endedInsideWord)
    }

    /// Quotes `word` so that the tokenizer reads it back unchanged.
    package static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            !" \t'\"\\;#".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// A word being built by the scanner.
private struct Word {
    var text = ""
}

/// The state machine behind `Tokenizer`.
private struct Scanner {
    enum Quote { case none, single, double }

    let text: String
    let stopsAtErrors: Bool
    var error: ShellError?
    /// True when the text ended inside a word (or an open quote), false when it ended on a separator.
    var endedInsideWord = false

    init(text: String, stopsAtErrors: Bool) {
        self.text = text
        self.stopsAtErrors = stopsAtErrors
    }

    mutating func scan() -> [[Word]] {
        var groups: [[Word]] = [[]]
        var word: Word?
        var quote = Quote.none
        var quoteStart = 0
        var escaping = false
        var escapingInDoubleQuotes = false
        var inComment = false

        func finishWord() {
            if let finished = word { groups[groups.count - 1].append(finished) }
            word = nil
        }

        // Unicode scalars, not Characters: a combining mark after a quote, space or `;` would otherwise join it into
        // one grapheme cluster and hide the delimiter, and "\r\n" is a single Character.
        for (offset, character) in text.unicodeScalars.enumerated() {
            if inComment {
                if character == "\n" {
                    inComment = false
                    groups.append([])
                }
                continue
            }
            if escaping {
                word = word ?? Word()
                if escapingInDoubleQuotes, character != "\"", character != "\\" { word!.text.unicodeScalars.append("\\") }
                word!.text.unicodeScalars.append(character)
                escaping = false
                escapingInDoubleQuotes = false
                continue
            }
            switch quote {
            case .single:
                if character == "'" { quote = .none } else { word!.text.unicodeScalars.append(character) }
                continue
            case .double:
                if character == "\"" {
                    quote = .none
                } else if character == "\\" {
                    escaping = true
                    escapingInDoubleQuotes = true
                } else {
                    word!.text.unicodeScalars.append(character)
                }
                continue
            case .none:
                break
            }
            switch character {
            case " ", "\t", "\r":
                finishWord()
            case ";", "\n":
                finishWord()
                groups.append([])
            case "#" where word == nil:
                finishWord()
                inComment = true
            case "'", "\"":
                word = word ?? Word()
                quote = character == "'" ? .single : .double
                quoteStart = offset + 1
            case "\\":
                escaping = true
            default:
                word = word ?? Word()
                word!.text.unicodeScalars.append(character)
            }
        }

        if quote != .none, stopsAtErrors {
            let mark = quote == .single ? "'" : "\""
            error = .unterminatedQuote(mark: mark, column: quoteStart)
        } else if escaping, stopsAtErrors {
            error = .danglingEscape
        }
        endedInsideWord = word != nil || escaping
        finishWord()
        return groups
    }
}
