import BinanceAPI
import Foundation

/// The state the tool handlers share: the exchange client, the exchangeInfo cache and the settings they run under.
package struct ExchangeGateway: Sendable {
    package let client: BinanceClient
    package let exchangeInfo: ExchangeInfoCache
    package let configuration: Configuration
    package let venue: Venue
    /// The invocation the requests belong to; it decides whether a rate limit is waited for or fails at once.
    package private(set) var invocation: Invocation?

    package init(client: BinanceClient, exchangeInfo: ExchangeInfoCache, configuration: Configuration, venue: Venue) {
        self.client = client
        self.exchangeInfo = exchangeInfo
        self.configuration = configuration
        self.venue = venue
    }

    /// Returns a copy whose requests follow the wait policy and progress callback of `invocation`.
    package func bound(to invocation: Invocation) -> ExchangeGateway {
        var copy = self
        copy.invocation = invocation
        return copy
    }

    /// The client's rate-limit policy for this invocation: fail at once when there is none.
    var waitPolicy: LimitWaitPolicy {
        switch invocation?.waitPolicy {
        case .wait(let maximumSeconds)?: return .wait(maximumSeconds: maximumSeconds)
        case .failFast?, nil: return .failFast
        }
    }

    var progress: (@Sendable (String) -> Void)? { invocation?.progress }

    /// Sends one request and parses its JSON body.
    /// - Throws: the mapped `ToolError` of any client failure.
    func json(_ endpoint: Endpoint, _ parameters: RequestParameters = RequestParameters()) async throws(ToolError)
        -> JSONValue
    {
        let response: HTTPResponse
        do {
            response = try await client.send(endpoint, parameters, waitPolicy: waitPolicy, progress: progress)
        } catch {
            throw ToolError(binance: error, endpoint: endpoint, symbol: parameters["symbol"])
        }
        return try Self.parse(response.body, from: endpoint)
    }

    /// Converts one of the client's typed responses back into JSON, decimals as plain strings.
    static func json(encoding value: some Encodable) throws(ToolError) -> JSONValue {
        do {
            return try JSONValue.parse(JSONEncoder().encode(value))
        } catch {
            throw ToolError(.internalError, "A response could not be converted to JSON: \(error).")
        }
    }

    static func parse(_ body: Data, from endpoint: Endpoint) throws(ToolError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw ToolError(.internalError, "Unexpected response from \(endpoint): the body is not valid JSON.")
        }
    }
}

extension RequestParameters {
    /// Adds the argument `name` under the Binance parameter `binanceName` when it was given.
    mutating func copy(_ name: String, as binanceName: String, from arguments: ToolArguments) {
        switch arguments[name] {
        case .string(let text)?: set(binanceName, text)
        case .decimal(let number)?: set(binanceName, DecimalText.format(number))
        case .integer(let number)?: set(binanceName, String(number))
        case .boolean(let flag)?: set(binanceName, flag ? "true" : "false")
        case .all?, nil: break
        }
    }
}

extension ToolArguments {
    /// Returns the integer argument `name`, or `defaultValue` when it was not given.
    func integer(_ name: String, default defaultValue: Int64) -> Int64 {
        integer(name) ?? defaultValue
    }
}
