import Tools

/// The prompt and the banner of the interactive shell.
package enum Prompt {
    /// `sim BTCUSDT> `: the venue (LIVE in a warning colour) and the default symbol when set.
    package static func text(venue: Venue, baseURL: String?, symbol: String?, style: TextStyle) -> String {
        let label = venueLabel(venue, baseURL: baseURL, style: style)
        let tail = symbol.map { " " + $0 } ?? ""
        return label + tail + "> "
    }

    /// Returns the venue name as shown in the prompt, with invisible-character markers around colour codes.
    static func venueLabel(_ venue: Venue, baseURL: String?, style: TextStyle) -> String {
        let isRealMoney = venue.isRealMoney(baseURL: baseURL)
        let name = venue == .live ? "LIVE" : venue.rawValue
        guard style.isEnabled else { return name }
        let coloured = isRealMoney ? style.warning(name) : (venue == .sim ? style.cyan(name) : style.yellow(name))
        return markingEscapeSequences(coloured)
    }

    /// Wraps each colour sequence (`ESC [ … m`) in `\u{1}` and `\u{2}`, which libedit leaves out of the
    /// prompt's width, so the cursor lands after the visible text.
    static func markingEscapeSequences(_ text: String) -> String {
        var output = ""
        var insideSequence = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{1B}" {
                output.unicodeScalars.append("\u{1}")
                insideSequence = true
            }
            output.unicodeScalars.append(scalar)
            if insideSequence, scalar == "m" {
                output.unicodeScalars.append("\u{2}")
                insideSequence = false
            }
        }
        return output
    }

    /// Lines printed when the interactive shell starts.
    package static func banner(version: String, venue: Venue, baseURL: String?, style: TextStyle) -> String {
        var lines = [style.bold("binance-shell \(version)") + " on " + describe(venue, baseURL: baseURL, style: style)]
        lines.append("Type 'help' for commands, Tab to complete, Ctrl-D to leave.")
        return lines.joined(separator: "\n")
    }

    private static func describe(_ venue: Venue, baseURL: String?, style: TextStyle) -> String {
        switch venue {
        case .sim:
            return style.cyan("sim") + ": the built-in simulated exchange, paper money only."
        case .testnet:
            return style.yellow("testnet") + ": Binance's spot testnet, test money only."
        case .live:
            return style.warning("LIVE") + ": real Binance with real money. Every order asks for confirmation."
        case .custom:
            let host = baseURL ?? "?"
            if venue.isRealMoney(baseURL: baseURL) {
                return style.warning("custom") + " venue \(host), treated as live: real money may be at stake."
            }
            return style.yellow("custom") + " venue \(host) on this machine, treated like the testnet."
        }
    }
}
