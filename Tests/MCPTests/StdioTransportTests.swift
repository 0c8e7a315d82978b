import Foundation
import MCP

#if canImport(Glibc)
import Glibc
#endif
import Testing
import Tools

@Suite struct StdioTransportTests {
    @Test func readerDeliversLinesUntilEndOfInput() async throws {
        let pipe = Pipe()
        let reader = LineReader()
        reader.start(fileDescriptor: Self.descriptorNeverClosed(pipe), maximumLineLength: 8)
        pipe.fileHandleForWriting.write(Data("one\ntwo\r\nmuch too long\nlast".utf8))
        try pipe.fileHandleForWriting.close()

        var lines: [InputLine] = []
        for await line in reader.lines { lines.append(line) }
        #expect(lines == [
            .line(Data("one".utf8)),
            .line(Data("two".utf8)),
            .oversized(byteCount: 13),
            .line(Data("last".utf8)),
        ])
    }

    @Test func stopEndsTheStreamWhileReadBlocks() async throws {
        let pipe = Pipe()
        let reader = LineReader()
        reader.start(fileDescriptor: Self.descriptorNeverClosed(pipe))
        reader.stop()
        var count = 0
        for await _ in reader.lines { count += 1 }
        #expect(count == 0)
        try pipe.fileHandleForWriting.close()
    }

    /// A duplicate of the pipe's read end that stays open, so a reader thread still blocked in `read` after the test
    /// cannot read from another test's file that reuses the descriptor number.
    static func descriptorNeverClosed(_ pipe: Pipe) -> Int32 {
        dup(pipe.fileHandleForReading.fileDescriptor)
    }

    @Test func sinkWritesOneLinePerMessageInOrder() async throws {
        let pipe = Pipe()
        let sink = FileDescriptorSink(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor, logger: .disabled)
        for number in 1...50 {
            sink.send(.object(["n": .int(number), "text": .string("a\nb")]))
        }
        await sink.flush()
        try pipe.fileHandleForWriting.close()

        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(text.hasSuffix("\n"))
        #expect(lines.count == 50)
        let numbers = try lines.map { try JSONValue.parse(Data($0.utf8))["n"] }
        #expect(numbers == (1...50).map { .int($0) })
    }
}
