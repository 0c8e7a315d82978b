@testable import BinanceAPI
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `CurlEventLoop` running tasks, transfers and input on its one thread, against a server on 127.0.0.1.
@Suite(.serialized) struct CurlEventLoopTests {
    init() {
        setenv("no_proxy", "127.0.0.1,localhost", 1)
        setenv("NO_PROXY", "127.0.0.1,localhost", 1)
    }

    func read(_ baseURL: String, query: String = "", timeout: Duration = .seconds(5)) -> HTTPRequest {
        HTTPRequest(method: .get, baseURL: baseURL, path: "/api/v3/ticker/price", query: query, timeout: timeout)
    }

    @Test func taskPreferringLoopRunsOnItsThread() async {
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }

        let onLoop = await Task(executorPreference: loop) { CurlEventLoop.current === loop }.value
        let elsewhere = await Task { CurlEventLoop.current === loop }.value

        #expect(onLoop)
        #expect(!elsewhere)
    }

    @Test func transfersOnLoopReturnTheirResponses() async throws {
        let server = try APILoopbackServer { received in .http(body: #"{"line":"\#(received.requestLine)"}"#) }
        defer { server.stop() }
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }
        let transport = CurlTransport()

        let results = await Task(executorPreference: loop) { () -> [(String, Bool)] in
            await withTaskGroup(of: (String, Bool).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let response = try? await transport.send(self.read(server.baseURL, query: "index=\(index)"))
                        let body = response.map { String(decoding: $0.body, as: UTF8.self) } ?? "no response"
                        return (body, CurlEventLoop.current === loop)
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }.value

        #expect(results.count == 8)
        for index in 0..<8 {
            #expect(results.contains { $0.0.contains("index=\(index) HTTP/1.1") })
        }
        // Every task resumed on the loop's thread after its transfer.
        #expect(results.allSatisfy { $0.1 })
    }

    @Test func cancellingTransferOnLoopReturnsCancelled() async throws {
        let release = DispatchSemaphore(value: 0)
        let server = try APILoopbackServer { _ in
            _ = release.wait(timeout: .now() + 30)
            return .http(body: "{}")
        }
        defer {
            release.signal()
            server.stop()
        }
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }
        let transport = CurlTransport()
        let slow = read(server.baseURL, timeout: .seconds(20))

        let task = Task(executorPreference: loop) { try await transport.send(slow) }
        try await waitUntil { server.requests.count == 1 }
        task.cancel()
        let result = await task.result

        guard case .failure(let error) = result, error as? TransportError == .cancelled else {
            Issue.record("expected cancelled, got \(result)")
            return
        }
    }

    @Test func slowServerOnLoopTimesOut() async throws {
        let server = try APILoopbackServer { _ in APILoopbackServer.Reply(bytes: Data("HTTP/1.1 200 OK\r\n".utf8), delay: 3) }
        defer { server.stop() }
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }
        let transport = CurlTransport()
        let request = read(server.baseURL, timeout: .milliseconds(300))

        let result = await Task(executorPreference: loop) { try await transport.send(request) }.result

        guard case .failure(let error) = result, case .outcomeUnknown = error as? TransportError else {
            Issue.record("expected outcomeUnknown, got \(result)")
            return
        }
    }

    @Test func inputChunksThenEndReachHandler() async throws {
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }
        let pipe = Pipe()
        let received = InputLog()
        loop.startReading(pipe.fileHandleForReading.fileDescriptor) { chunk in
            received.append(chunk.map { Data($0) }, onLoop: CurlEventLoop.current === loop)
        }

        try pipe.fileHandleForWriting.write(contentsOf: Data("first\n".utf8))
        try await waitUntil { received.text == "first\n" }
        try pipe.fileHandleForWriting.write(contentsOf: Data("second\n".utf8))
        try pipe.fileHandleForWriting.close()
        try await waitUntil { received.hasEnded }

        #expect(received.text == "first\nsecond\n")
        #expect(received.endCount == 1)
        #expect(received.allOnLoop)
    }

    /// While a transfer runs, the loop waits in `curl_multi_poll`, whose `curl_waitfd` has no flag for a hang-up.
    @Test func inputEndSeenWhileTransferRuns() async throws {
        let release = DispatchSemaphore(value: 0)
        let server = try APILoopbackServer { _ in
            _ = release.wait(timeout: .now() + 30)
            return .http(body: "{}")
        }
        defer {
            release.signal()
            server.stop()
        }
        let loop = CurlEventLoop(name: "test-loop")
        defer { loop.stop() }
        let transport = CurlTransport()
        let slow = read(server.baseURL, timeout: .seconds(20))
        let pipe = Pipe()
        let received = InputLog()
        loop.startReading(pipe.fileHandleForReading.fileDescriptor) { chunk in
            received.append(chunk.map { Data($0) }, onLoop: true)
        }

        let task = Task(executorPreference: loop) { try await transport.send(slow) }
        try await waitUntil { server.requests.count == 1 }
        try pipe.fileHandleForWriting.write(contentsOf: Data("line\n".utf8))
        try pipe.fileHandleForWriting.close()
        try await waitUntil { received.hasEnded }
        release.signal()
        let response = try await task.value

        #expect(received.text == "line\n")
        #expect(response.status == 200)
    }

    /// Polls `condition` until it holds, failing after 10 s.
    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The chunks and ends an input handler received, and whether each came on the loop's thread.
private final class InputLog: @unchecked Sendable {
    // The lock protects the properties below.
    private let lock = NSLock()
    private var bytes = Data()
    private var ends = 0
    private var offLoop = 0

    func append(_ chunk: Data?, onLoop: Bool) {
        lock.withLock {
            if let chunk { bytes.append(chunk) } else { ends += 1 }
            if !onLoop { offLoop += 1 }
        }
    }

    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    var hasEnded: Bool { lock.withLock { ends > 0 } }
    var endCount: Int { lock.withLock { ends } }
    var allOnLoop: Bool { lock.withLock { offLoop == 0 } }
}
