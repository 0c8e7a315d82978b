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

    /// Splits text into commands; empty commands (blank, comment only, `;;`) are left out.
    ///
    /// The text may span lines (a quoted value with a newline inside); each command gets the number of the line
    /// it starts on, counted from `lineNumber`.
    /// - Throws: `ShellError` for an unterminated quote or a trailing backslash.
    package static func commands(in line: String, lineNumber: Int = 1) throws(ShellError) -> [Command] {
        var scanner = Scanner(text: line, stopsAtErrors: true)
        let groups = scanner.scan()
        if let error = scanner.error(firstLine: lineNumber) { throw error }
        return groups.filter { !$0.words.isEmpty }.map { group in
            Command(line: lineNumber + group.lineOffset, words: group.words.map(\.text))
        }
    }

    /// Returns true when `text` ends inside a quote, so a script's next line continues the quoted value.
    package static func endsInsideQuote(_ text: String) -> Bool {
        // Text without a quote mark cannot open one. Scripts check every line, and few lines quote anything.
        var contiguous = text
        let hasQuoteMark = contiguous.withUTF8 { bytes in
            bytes.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
        }
        guard hasQuoteMark else { return false }
        var scanner = Scanner(text: text, stopsAtErrors: false)
        _ = scanner.scan()
        return scanner.openQuote != nil
    }

    /// Words of the command that the end of `text` belongs to, for completion.
    ///
    /// Never fails: an open quote extends to the end. `isAtWordStart` is true when `text` ends between words,
    /// so the word being completed is empty and not part of `words`.
    package static func partialCommand(_ text: String) -> (words: [String], isAtWordStart: Bool) {
        var scanner = Scanner(text: text, stopsAtErrors: false)
        let groups = scanner.scan()
        let last = groups.last?.words ?? []
        return (last.map(\.text), !scanner.endedInsideWord)
    }

    /// The word at the end of a line, as completion splits it.
    package struct PartialWord: Sendable, Equatable {
        /// Byte offset in the line where the word starts, quotes included.
        package var start: Int
        /// The word without its quotes and escapes, as far as it is typed.
        package var text: String
        /// The quote mark still open at the end of the line, if any.
        package var openQuote: Character?

        package init(start: Int, text: String, openQuote: Character?) {
            self.start = start
            self.text = text
            self.openQuote = openQuote
        }
    }

    /// Splits text for completion: the finished words of the last command, and the word being typed (nil when
    /// the text ends between words). Never fails.
    package static func partialWord(_ text: String) -> (previous: [String], current: PartialWord?) {
        var scanner = Scanner(text: text, stopsAtErrors: false)
        let groups = scanner.scan()
        var words = groups.last?.words ?? []
        guard scanner.endedInsideWord, let last = words.popLast() else { return (words.map(\.text), nil) }
        let current = PartialWord(start: last.start, text: last.text, openQuote: scanner.openQuote)
        return (words.map(\.text), current)
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
    /// Byte offset of the word's first character (a quote or backslash included) in the scanned text.
    var start: Int
    var text = ""
}

/// The words of one command and the line it starts on, counted from 0 within the scanned text.
private struct WordGroup {
    var lineOffset: Int
    var words: [Word] = []
}

/// The state machine behind `Tokenizer`.
private struct Scanner {
    enum Quote { case none, single, double }

    let text: String
    let stopsAtErrors: Bool
    /// True when the text ended inside a word (or an open quote), false when it ended on a separator.
    var endedInsideWord = false
    /// The quote mark open at the end of the text, if any.
    var openQuote: Character?
    /// Position of the open quote: line counted from 0 within the text, column from 1 within that line.
    var openQuoteLine = 0
    var openQuoteColumn = 0
    /// True when the text ended with a backslash that escapes nothing.
    var endsWithEscape = false

    /// Returns the text's error, with lines numbered from `firstLine`, or nil when it has none.
    func error(firstLine: Int) -> ShellError? {
        guard stopsAtErrors else { return nil }
        if let openQuote {
            let mark = String(openQuote)
            guard openQuoteLine > 0 else { return .unterminatedQuote(mark: mark, column: openQuoteColumn) }
            return .unterminatedQuote(mark: mark, line: firstLine + openQuoteLine, column: openQuoteColumn)
        }
        return endsWithEscape ? .danglingEscape : nil
    }

    init(text: String, stopsAtErrors: Bool) {
        self.text = text
        self.stopsAtErrors = stopsAtErrors
    }

    mutating func scan() -> [WordGroup] {
        var groups = [WordGroup(lineOffset: 0)]
        var word: Word?
        var quote = Quote.none
        var quoteStartLine = 0
        var quoteStartColumn = 0
        var escaping = false
        var escapeStart = 0
        var escapingInDoubleQuotes = false
        var inComment = false
        var byteOffset = 0
        var line = 0
        var column = 0

        func finishWord() {
            if let finished = word { groups[groups.count - 1].words.append(finished) }
            word = nil
        }

        // Unicode scalars, not Characters: a combining mark after a quote, space or `;` would otherwise join it into
        // one grapheme cluster and hide the delimiter, and "\r\n" is a single Character.
        for character in text.unicodeScalars {
            let offset = byteOffset
            byteOffset += character.utf8.count
            column += 1
            defer {
                if character == "\n" {
                    line += 1
                    column = 0
                }
            }
            if inComment {
                if character == "\n" {
                    inComment = false
                    groups.append(WordGroup(lineOffset: line + 1))
                }
                continue
            }
            if escaping {
                word = word ?? Word(start: escapeStart)
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
            case ";":
                finishWord()
                groups.append(WordGroup(lineOffset: line))
            case "\n":
                finishWord()
                groups.append(WordGroup(lineOffset: line + 1))
            case "#" where word == nil:
                finishWord()
                inComment = true
            case "'", "\"":
                word = word ?? Word(start: offset)
                quote = character == "'" ? .single : .double
                quoteStartLine = line
                quoteStartColumn = column
            case "\\":
                escaping = true
                escapeStart = offset
            default:
                word = word ?? Word(start: offset)
                word!.text.unicodeScalars.append(character)
            }
        }

        switch quote {
        case .single: openQuote = "'"
        case .double: openQuote = "\""
        case .none: openQuote = nil
        }
        openQuoteLine = quoteStartLine
        openQuoteColumn = quoteStartColumn
        endsWithEscape = escaping && quote == .none
        endedInsideWord = word != nil || escaping
        if escaping, word == nil { word = Word(start: escapeStart) }
        finishWord()
        return groups
    }
}
