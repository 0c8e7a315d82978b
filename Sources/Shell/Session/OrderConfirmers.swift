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

/// Confirms orders at the terminal: shows the preview, then prompts `Place this order? [y/N]` (default no).
package struct InteractiveOrderConfirmer: OrderConfirmer {
    package var reader: any LineReader
    package var output: any OutputSink

    package init(reader: any LineReader, output: any OutputSink) {
        self.reader = reader
        self.output = output
    }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        output.writeOutput(request.summary + "\n")
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
