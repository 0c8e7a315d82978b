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
}
