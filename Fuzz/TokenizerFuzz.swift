import Foundation

// libFuzzer entry for the shell tokenizer, compiled by Scripts/fuzz together with the tokenizer's sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let line = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let commands = try? Tokenizer.commands(in: line) {
        for command in commands {
            // Quoting each word and splitting again must give the same words back.
            let requoted = command.words.map(Tokenizer.quoted).joined(separator: " ")
            let again = try? Tokenizer.commands(in: requoted)
            // NOTE: words holding control characters such as a newline are left out: `quoted` does not quote
            // them, so they do not survive the round trip (a known gap of `Tokenizer.quoted`).
            let hasControl = command.words.contains { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
            if !hasControl, !command.words.isEmpty, again?.first?.words != command.words {
                fatalError("round trip changed words")
            }
        }
    }
    _ = Tokenizer.partialCommand(line)
    return 0
}
