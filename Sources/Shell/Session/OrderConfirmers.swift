import Foundation
import Tools

/// Confirms orders in script mode: accepted only when the user passed `--yes`.
package struct ScriptOrderConfirmer: OrderConfirmer {
    package var isPreapproved: Bool

    package init(isPreapproved: Bool) { self.isPreapproved = isPreapproved }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        if isPreapproved { return .accepted }
        // The trading guard puts this after its own sentence and adds the hint to pass --yes.
        return .unavailable(reason: "a script cannot ask, so nothing was sent.")
    }
}

/// Confirms orders at the terminal: shows the summary and the whole preview, then prompts
/// `Place this order? [y/N]` (default no).
package struct InteractiveOrderConfirmer: OrderConfirmer {
    package var reader: any LineReader
    package var output: any OutputSink
    package var style: TextStyle
    /// Marked while the question is asked, so the running command's Ctrl-C watcher stays out of the way.
    package var activity: PromptActivity

    package init(
        reader: any LineReader,
        output: any OutputSink,
        style: TextStyle = .plain,
        activity: PromptActivity = PromptActivity()
    ) {
        self.reader = reader
        self.output = output
        self.style = style
        self.activity = activity
    }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        let answer = await activity.during { () async -> LineInput in
            // Clears a waiting message the command may have shown before it needed the confirmation.
            output.writeError("\r\u{1B}[K")
            output.writeOutput(request.summary + "\n")
            if let preview = PreviewView.render(request.preview, style: style) {
                output.writeOutput(style.bold("Preview") + "\n" + preview + "\n")
            }
            return await reader.readLine(prompt: "Place this order? [y/N] ")
        }
        switch answer {
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
