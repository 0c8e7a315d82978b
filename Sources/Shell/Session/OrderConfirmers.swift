import Foundation
import Tools

/// Confirms orders in script mode: accepted only when the user passed `--yes`.
package struct ScriptOrderConfirmer: OrderConfirmer {
    package var isPreapproved: Bool

    package init(isPreapproved: Bool) { self.isPreapproved = isPreapproved }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        if isPreapproved { return .accepted }
        return .unavailable(
            reason: "This order needs confirmation, and a script cannot ask: run again with --yes to confirm "
                + "orders in scripts. Nothing was sent.")
    }
}

/// Confirms orders at the terminal: shows the summary and the whole preview, then prompts
/// `Place this order? [y/N]` (default no).
package struct InteractiveOrderConfirmer: OrderConfirmer {
    package var reader: any LineReader
    package var output: any OutputSink
    package var style: TextStyle

    package init(reader: any LineReader, output: any OutputSink, style: TextStyle = .plain) {
        self.reader = reader
        self.output = output
        self.style = style
    }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        output.writeOutput(request.summary + "\n")
        if let preview = PreviewView.render(request.preview, style: style) {
            output.writeOutput(style.bold("Preview") + "\n" + preview + "\n")
        }
        switch await reader.readLine(prompt: "Place this order? [y/N] ") {
        case .line(let answer):
            let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
            return word == "y" || word == "yes" ? .accepted : .declined
        case .interrupted:
            return .cancelled
        case .endOfInput:
            return .declined
        }
    }
}
