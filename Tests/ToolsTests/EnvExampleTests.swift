import Foundation
import Testing

@testable import Tools

/// `.env.example` must list every variable the product reads, with the defaults the code uses.
struct EnvExampleTests {
    private static func exampleValues() throws -> [String: String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".env.example")
        let text = try String(contentsOf: url, encoding: .utf8)
        return Configuration.parseEnvFile(text)
    }

    @Test func listsEveryVariable() throws {
        let values = try Self.exampleValues()
        for variable in Configuration.variables {
            #expect(values[variable.name] != nil, "'\(variable.name)' is missing from .env.example")
        }
        let known = Set(Configuration.variables.map(\.name))
        for name in values.keys {
            #expect(known.contains(name), ".env.example lists '\(name)', which the product does not read")
        }
    }

    @Test func defaultsMatchConfiguration() throws {
        let values = try Self.exampleValues()
        // HOME gives the default state directory, which loading the configuration only names and never creates.
        var example = values.filter { !$0.value.isEmpty }
        example["HOME"] = "/nonexistent"
        let fromExample = try Configuration.load(environment: example, envFileText: nil)
        let fromNothing = try Configuration.load(environment: ["HOME": "/nonexistent"], envFileText: nil)
        #expect(fromExample.recvWindowMilliseconds == fromNothing.recvWindowMilliseconds)
        #expect(fromExample.callTimeoutMilliseconds == fromNothing.callTimeoutMilliseconds)
        #expect(fromExample.rateLimitEnabled == fromNothing.rateLimitEnabled)
        #expect(fromExample.maxRequestsPerMinute == fromNothing.maxRequestsPerMinute)
        #expect(fromExample.inputValidation == fromNothing.inputValidation)
        #expect(fromExample.logSecurity == fromNothing.logSecurity)
        #expect(fromExample.useTestnet == fromNothing.useTestnet)
        #expect(fromExample.venue == .sim)
    }
}
