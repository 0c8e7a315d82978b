import Foundation
import Shell
import Testing

/// The history file libedit writes for the interactive shell. libedit's history is global to the process, so
/// one test covers the bound, the mode and the secret filter in order.
struct HistoryFileTests {
    @Test func historyIsBoundedPrivateAndFiltered() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bsh-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("history").path
        let reader = EditLineReader(historyPath: path, historyLimit: 3, completer: nil)

        for number in 1...5 { reader.addToHistory("price BTCUSDT \(number)") }
        reader.addToHistory("set api_secret hunter2")

        let text = try String(contentsOfFile: path, encoding: .utf8)
        let entries = text.split(separator: "\n").dropFirst().map(String.init)
        #expect(entries.count == 3)
        #expect(entries.last?.hasSuffix("5") == true)
        #expect(!text.contains("price\\040BTCUSDT\\0401"))
        #expect(!text.contains("hunter2"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
