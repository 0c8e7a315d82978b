import Foundation
import Shell
import TestSupport
import Testing
@testable import Tools

struct BufferedOutputSinkTests {
    /// A pipe whose read end is drained without blocking.
    final class Pipe {
        let readEnd: Int32
        let writeEnd: Int32

        init() {
            var descriptors: [Int32] = [0, 0]
            precondition(pipe(&descriptors) == 0)
            readEnd = descriptors[0]
            writeEnd = descriptors[1]
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }

        /// Returns what was written so far.
        func drain() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(readEnd, &chunk, chunk.count)
                guard count > 0 else { break }
                bytes += chunk[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func outputWaitsForFlush() {
        let pipe = Pipe()
        let sink = BufferedOutputSink(outputDescriptor: pipe.writeEnd, errorDescriptor: pipe.writeEnd)
        sink.writeOutput("first\n")
        sink.writeOutput("second\n")
        #expect(pipe.drain() == "")
        sink.flush()
        #expect(pipe.drain() == "first\nsecond\n")
        sink.flush()
        #expect(pipe.drain() == "")
    }

    @Test func errorFollowsEarlierOutput() {
        let pipe = Pipe()
        let sink = BufferedOutputSink(outputDescriptor: pipe.writeEnd, errorDescriptor: pipe.writeEnd)
        sink.writeOutput("result\n")
        sink.writeError("line 2: failed\n")
        sink.writeOutput("later\n")
        #expect(pipe.drain() == "result\nline 2: failed\n")
        sink.flush()
        #expect(pipe.drain() == "later\n")
    }

    @Test func fullBufferIsWrittenOut() {
        let pipe = Pipe()
        let sink = BufferedOutputSink(capacity: 10, outputDescriptor: pipe.writeEnd, errorDescriptor: pipe.writeEnd)
        sink.writeOutput("12345")
        #expect(pipe.drain() == "")
        sink.writeOutput("67890ü")
        #expect(pipe.drain() == "1234567890ü")
    }

    @Test func scriptEndFlushesResults() async {
        let pipe = Pipe()
        let sink = BufferedOutputSink(outputDescriptor: pipe.writeEnd, errorDescriptor: pipe.writeEnd)
        let launch = ShellLaunch(engine: ShellFakeTools.engine(), home: "/nonexistent", version: "test")
        let status = await ShellEntryPoint.runScript(
            launch,
            reader: ListLineReader(lines: ["price BTCUSDT", "prise", "price ETHUSDT"]),
            output: sink
        )
        #expect(status == 1)
        let text = pipe.drain()
        let error = text.range(of: "line 2: Unknown command 'prise'")
        let first = text.range(of: "BTCUSDT")
        let last = text.range(of: "ETHUSDT")
        #expect(error != nil)
        #expect(first.map { first in error.map { first.lowerBound < $0.lowerBound } ?? false } == true)
        #expect(last.map { last in error.map { last.lowerBound > $0.lowerBound } ?? false } == true)
    }

    @Test func scriptFlushesBeforeWaitingForInput() async {
        let pipe = Pipe()
        let sink = BufferedOutputSink(outputDescriptor: pipe.writeEnd, errorDescriptor: pipe.writeEnd)
        let session = ShellSession(
            engine: ShellFakeTools.engine(),
            origin: .script,
            output: sink,
            confirmer: ScriptOrderConfirmer(isPreapproved: false)
        )
        let reader = SlowLineReader(lines: ["price BTCUSDT", "price ETHUSDT"], pipe: pipe)
        let status = await ScriptRunner.run(session: session, reader: reader, stopsOnError: false)
        #expect(status == 0)
        let seen = reader.seenBeforeEachRead
        #expect(seen.count == 3)
        #expect(seen.first == "")
        #expect(seen.dropFirst().first?.contains("BTCUSDT") == true)
        #expect(seen.last?.contains("ETHUSDT") == true)
    }
}

/// Reports every read as a wait, and records what the pipe held when each read began.
private final class SlowLineReader: LineReader, @unchecked Sendable {
    // The lock protects both arrays.
    private let lock = NSLock()
    private var remaining: [String]
    private var seen: [String] = []
    private let pipe: BufferedOutputSinkTests.Pipe

    init(lines: [String], pipe: BufferedOutputSinkTests.Pipe) {
        remaining = lines
        self.pipe = pipe
    }

    var isInputReady: Bool { false }

    var seenBeforeEachRead: [String] { lock.withLock { seen } }

    func readLine(prompt: String) async -> LineInput {
        lock.withLock {
            seen.append(pipe.drain())
            return remaining.isEmpty ? .endOfInput : .line(remaining.removeFirst())
        }
    }
}

struct PlainLineReaderTests {
    /// Hands out numbered lines, then the end of input.
    final class Source: @unchecked Sendable {
        // The lock protects `next`.
        private let lock = NSLock()
        private var next = 0
        let count: Int

        init(count: Int) { self.count = count }

        func line() -> String? {
            lock.withLock {
                guard next < count else { return nil }
                next += 1
                return "line \(next)"
            }
        }
    }

    @Test(arguments: [0, 1, 5, 1_000])
    func linesArriveInOrder(count: Int) async {
        let source = Source(count: count)
        let reader = PlainLineReader(readAhead: 8) { source.line() }
        var received: [String] = []
        reading: while true {
            switch await reader.readLine(prompt: "") {
            case .line(let text): received.append(text)
            case .interrupted: continue
            case .endOfInput: break reading
            }
        }
        #expect(received.count == count)
        #expect(received == (0..<count).map { "line \($0 + 1)" })
        #expect(reader.isInputReady)
        #expect(await reader.readLine(prompt: "") == .endOfInput)
    }
}
