import Shell
import Testing
import Tools

struct OrderConfirmerTests {
    let request = ConfirmationRequest(summary: "LIVE: BUY 0.001 BTCUSDT at market", preview: .null)

    func decision(answer lines: [String]) async -> (ConfirmationDecision, String) {
        let sink = CapturingOutputSink()
        let confirmer = InteractiveOrderConfirmer(reader: ListLineReader(lines: lines), output: sink)
        return (await confirmer.confirm(request), sink.standardOutput)
    }

    @Test(arguments: ["y", "Y", "yes", " yes "])
    func yesAccepts(_ answer: String) async {
        #expect(await decision(answer: [answer]).0 == .accepted)
    }

    @Test(arguments: ["", "n", "no", "sure", "yy"])
    func anythingElseDeclines(_ answer: String) async {
        #expect(await decision(answer: [answer]).0 == .declined)
    }

    @Test func endOfInputDeclines() async {
        #expect(await decision(answer: []).0 == .declined)
    }

    @Test func previewIsShownBeforeAsking() async {
        #expect(await decision(answer: ["n"]).1 == "LIVE: BUY 0.001 BTCUSDT at market\n")
    }

    @Test func wholePreviewIsShownWithTheSummary() async {
        let preview: JSONValue = .object([
            "venue": "live",
            "order": .object(["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001"]),
            "quoteAsset": "USDT",
            "notional": "64.5",
            "notionalEstimated": true,
            "adjustments": .array([]),
        ])
        let sink = CapturingOutputSink()
        let activity = PromptActivity()
        let reader = ActivityProbe(activity: activity)
        let confirmer = InteractiveOrderConfirmer(reader: reader, output: sink, activity: activity)
        let decision = await confirmer.confirm(ConfirmationRequest(summary: "Venue: live (real money)", preview: preview))
        #expect(decision == .declined)
        #expect(sink.standardOutput.hasPrefix("Venue: live (real money)\nPreview\nvenue     live\n"))
        #expect(sink.standardOutput.contains("notional  64.5 USDT, estimated from the current price\n"))
        #expect(sink.standardOutput.contains("rounding  none\n"))
        #expect(reader.sawActivePrompt)
        #expect(!activity.isActive)
    }
}

/// Answers Enter and records whether the prompt was marked active while it read.
private final class ActivityProbe: LineReader, @unchecked Sendable {
    let activity: PromptActivity
    // Written once by `readLine` before the confirmer returns; read after.
    private(set) var sawActivePrompt = false

    init(activity: PromptActivity) { self.activity = activity }

    func readLine(prompt: String) async -> LineInput {
        sawActivePrompt = activity.isActive
        return .line("")
    }
}
