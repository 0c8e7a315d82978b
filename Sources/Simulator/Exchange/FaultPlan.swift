import Foundation

/// One kind of injected failure.
package enum SimulatorFaultKind: Sendable, Equatable {
    /// Delay the answer by this many milliseconds (adds to any other fault).
    case latency(milliseconds: Int)
    /// Answer with this 5xx status and an empty body, without acting on the request.
    case serverError(status: Int)
    /// Close the connection before the request is processed: nothing happened.
    case dropBeforeCommit
    /// Process the request (an order is placed) and then close the connection without answering.
    case dropAfterCommit
    /// Process the request and send only the first half of the body.
    case truncatedBody
    /// Answer 429 with -1003 and `Retry-After`, without acting.
    case tooManyRequests
    /// Answer 418 with -1003 and `Retry-After`, without acting.
    case banned
    /// Process the request, then answer -1007 ("execution status unknown"), as Binance's gateway does on timeout.
    case backendTimeout
    /// Hold the request this many milliseconds, then close the connection without processing it: a gateway that
    /// keeps a request past the client's timeout and never passes it on.
    case holdBeforeCommit(milliseconds: Int)
    /// Hold the request this many milliseconds, then process it and answer: the exchange acts on a request the
    /// client may already have given up on.
    case lateCommit(milliseconds: Int)
    /// Process the request at once (an order is placed), then hold the answer this many milliseconds.
    case holdAfterCommit(milliseconds: Int)
    /// A fill that wins the race with a cancel. When `DELETE /api/v3/order` names an open order with a limit
    /// price, the exchange first fills that order in full at that price, then rejects the cancel with -2011, as
    /// it does for an order that is no longer open. Other requests are processed as usual.
    case fillBeforeCancel
}

/// When a fault fires.
package enum SimulatorFaultTrigger: Sendable, Equatable {
    /// On each matching request with this probability, drawn from the plan's seed.
    case probability(Double)
    /// On these matching requests, counted from 1.
    case requests(Set<Int>)
}

/// One rule of a fault plan.
package struct SimulatorFault: Sendable, Equatable {
    package var kind: SimulatorFaultKind
    package var trigger: SimulatorFaultTrigger
    /// Only requests whose path starts with this prefix; nil matches every path.
    package var pathPrefix: String?
    /// Only requests with this HTTP method, such as `POST`; nil matches every method.
    package var method: String?

    package init(
        _ kind: SimulatorFaultKind,
        trigger: SimulatorFaultTrigger = .probability(1),
        pathPrefix: String? = nil,
        method: String? = nil
    ) {
        self.kind = kind
        self.trigger = trigger
        self.pathPrefix = pathPrefix
        self.method = method
    }
}

/// Failures injected into the simulator's answers, deterministic for a seed and a sequence of requests.
///
/// Only configuration sets a plan (`SimulatorOptions.faults`, or `BINANCE_SIM_FAULTS` for `--serve-sim`);
/// no request, tool or MCP message can change it.
package struct SimulatorFaultPlan: Sendable, Equatable {
    package var seed: UInt64
    package var rules: [SimulatorFault]
    /// Added to the exchange's clock, so a client's timestamps look early (positive) or late (negative).
    package var clockSkewMilliseconds: Int64

    package init(seed: UInt64 = 1, rules: [SimulatorFault] = [], clockSkewMilliseconds: Int64 = 0) {
        self.seed = seed
        self.rules = rules
        self.clockSkewMilliseconds = clockSkewMilliseconds
    }

    package static let none = SimulatorFaultPlan()

    /// Name of the environment variable `--serve-sim` reads a plan from.
    package static let environmentVariable = "BINANCE_SIM_FAULTS"

    /// Reads the plan in `BINANCE_SIM_FAULTS`; nil when the variable is unset or empty.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SimulatorFaultPlan? {
        guard let text = environment[environmentVariable], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            return nil
        }
        return try parse(text)
    }

    /// Parses a plan written as comma- or semicolon-separated items.
    ///
    /// Items: `seed=N`, `skew=MSms` (clock skew, may be negative), and faults written
    /// `KIND[=VALUE][@PROBABILITY][#N[+N…]][^METHOD][~PATHPREFIX]`, where KIND is `latency` (VALUE in ms, such as
    /// `200ms`), `5xx` (VALUE the status, default 503), `drop-before-commit`, `drop-after-commit`, `truncate`,
    /// `429`, `418`, `-1007`, `fill-before-cancel` (no VALUE; acts only on `DELETE /api/v3/order`), or one of
    /// `hold-before-commit`, `late-commit` and `hold-after-commit` (VALUE the hold in ms). `@0.1` fires on 10 %
    /// of matching requests, `#3+5` on the 3rd and 5th; without either the fault fires on every matching
    /// request. `^POST` matches only that method.
    /// Example: `seed=7,latency=50ms@0.5,hold-after-commit=12000ms#1^POST~/api/v3/order`.
    /// - Throws: `SimulatorFaultPlanError` naming the item that is not valid.
    package static func parse(_ text: String) throws -> SimulatorFaultPlan {
        var plan = SimulatorFaultPlan()
        let items = text.split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for item in items {
            if item.hasPrefix("seed=") {
                guard let seed = UInt64(item.dropFirst(5)) else { throw SimulatorFaultPlanError(item: item, expected: "seed=<unsigned integer>") }
                plan.seed = seed
                continue
            }
            if item.hasPrefix("skew=") {
                guard let skew = parseMilliseconds(item.dropFirst(5)) else {
                    throw SimulatorFaultPlanError(item: item, expected: "skew=<milliseconds>ms, such as skew=-1500ms")
                }
                plan.clockSkewMilliseconds = skew
                continue
            }
            plan.rules.append(try parseFault(item))
        }
        return plan
    }

    private static func parseFault(_ item: String) throws -> SimulatorFault {
        var rest = Substring(item)
        var pathPrefix: String?
        if let tilde = rest.firstIndex(of: "~") {
            pathPrefix = String(rest[rest.index(after: tilde)...])
            rest = rest[..<tilde]
            guard pathPrefix?.hasPrefix("/") == true else {
                throw SimulatorFaultPlanError(item: item, expected: "a path prefix starting with '/' after '~'")
            }
        }
        var method: String?
        if let caret = rest.firstIndex(of: "^") {
            let name = String(rest[rest.index(after: caret)...])
            guard ["GET", "POST", "PUT", "DELETE"].contains(name) else {
                throw SimulatorFaultPlanError(item: item, expected: "an HTTP method GET, POST, PUT or DELETE after '^'")
            }
            method = name
            rest = rest[..<caret]
        }
        var trigger = SimulatorFaultTrigger.probability(1)
        if let hash = rest.firstIndex(of: "#") {
            let numbers = rest[rest.index(after: hash)...].split(separator: "+").compactMap { Int($0) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 > 0 }) else {
                throw SimulatorFaultPlanError(item: item, expected: "request numbers such as '#3' or '#2+4' (counted from 1)")
            }
            trigger = .requests(Set(numbers))
            rest = rest[..<hash]
        }
        if let at = rest.firstIndex(of: "@") {
            guard let probability = Double(rest[rest.index(after: at)...]), (0...1).contains(probability) else {
                throw SimulatorFaultPlanError(item: item, expected: "a probability between 0 and 1 after '@'")
            }
            trigger = .probability(probability)
            rest = rest[..<at]
        }
        let parts = rest.split(separator: "=", maxSplits: 1)
        let name = parts.first.map(String.init) ?? ""
        let value = parts.count > 1 ? String(parts[1]) : nil
        let kind: SimulatorFaultKind
        switch name {
        case "latency":
            guard let value, let milliseconds = parseMilliseconds(Substring(value)), milliseconds >= 0 else {
                throw SimulatorFaultPlanError(item: item, expected: "latency=<milliseconds>ms, such as latency=200ms")
            }
            kind = .latency(milliseconds: Int(milliseconds))
        case "5xx":
            let status = value.flatMap { Int($0) } ?? 503
            guard (500...599).contains(status) else {
                throw SimulatorFaultPlanError(item: item, expected: "a status from 500 to 599, such as 5xx=502")
            }
            kind = .serverError(status: status)
        case "drop-before-commit": kind = .dropBeforeCommit
        case "drop-after-commit": kind = .dropAfterCommit
        case "truncate": kind = .truncatedBody
        case "429": kind = .tooManyRequests
        case "418": kind = .banned
        case "-1007": kind = .backendTimeout
        case "fill-before-cancel":
            guard !rest.contains("=") else {
                throw SimulatorFaultPlanError(item: item, expected: "fill-before-cancel without '=', such as fill-before-cancel#1^DELETE~/api/v3/order")
            }
            kind = .fillBeforeCancel
        case "hold-before-commit", "late-commit", "hold-after-commit":
            guard let value, let milliseconds = parseMilliseconds(Substring(value)), milliseconds >= 0 else {
                throw SimulatorFaultPlanError(item: item, expected: "\(name)=<milliseconds>ms, such as \(name)=12000ms")
            }
            switch name {
            case "hold-before-commit": kind = .holdBeforeCommit(milliseconds: Int(milliseconds))
            case "late-commit": kind = .lateCommit(milliseconds: Int(milliseconds))
            default: kind = .holdAfterCommit(milliseconds: Int(milliseconds))
            }
        default:
            throw SimulatorFaultPlanError(
                item: item,
                expected: "one of latency, 5xx, drop-before-commit, drop-after-commit, truncate, 429, 418, -1007, "
                    + "hold-before-commit, late-commit, hold-after-commit, fill-before-cancel, seed, skew"
            )
        }
        return SimulatorFault(kind, trigger: trigger, pathPrefix: pathPrefix, method: method)
    }

    private static func parseMilliseconds(_ text: Substring) -> Int64? {
        let digits = text.hasSuffix("ms") ? text.dropLast(2) : text
        return Int64(digits)
    }
}

/// A fault plan item that could not be read.
package struct SimulatorFaultPlanError: Error, CustomStringConvertible, Equatable {
    package var item: String
    package var expected: String

    package var description: String {
        "Invalid \(SimulatorFaultPlan.environmentVariable) item '\(item)': expected \(expected)."
    }
}

/// The faults chosen for one request.
struct FaultDraw: Sendable {
    var latencyMilliseconds = 0
    /// The first non-latency fault that fired, if any.
    var kind: SimulatorFaultKind?

    /// Time to wait before the request is processed: the latency plus any hold before commit.
    var millisecondsBeforeProcessing: Int {
        switch kind {
        case .holdBeforeCommit(let milliseconds), .lateCommit(let milliseconds):
            return latencyMilliseconds + milliseconds
        default:
            return latencyMilliseconds
        }
    }

    /// True when the request is held and then dropped, so the exchange never acts on it.
    var dropsAfterHolding: Bool {
        if case .holdBeforeCommit = kind { return true }
        return false
    }

    /// True when a cancel of an open limit order is to meet a fill that reached the exchange first.
    var fillsBeforeCancel: Bool { kind == .fillBeforeCancel }

    /// Time to hold the answer after the request was processed.
    var millisecondsAfterProcessing: Int {
        if case .holdAfterCommit(let milliseconds) = kind { return milliseconds }
        return 0
    }
}

/// Draws faults request by request; thread-safe.
final class FaultInjector: @unchecked Sendable {
    private let plan: SimulatorFaultPlan
    private let lock = NSLock()
    private var requestNumber: UInt64 = 0
    private var matchCounts: [Int]

    init(plan: SimulatorFaultPlan) {
        self.plan = plan
        matchCounts = Array(repeating: 0, count: plan.rules.count)
    }

    var isEmpty: Bool { plan.rules.isEmpty }

    func draw(path: String, method: String) -> FaultDraw {
        guard !plan.rules.isEmpty else { return FaultDraw() }
        return lock.withLock {
            requestNumber += 1
            var draw = FaultDraw()
            for (index, rule) in plan.rules.enumerated() {
                if let prefix = rule.pathPrefix, !path.hasPrefix(prefix) { continue }
                if let wanted = rule.method, wanted != method { continue }
                matchCounts[index] += 1
                let fires: Bool
                switch rule.trigger {
                case .probability(let probability):
                    let roll = SplitMix.unit(SplitMix.hash(plan.seed, requestNumber &* 64 &+ UInt64(index)))
                    fires = roll < probability
                case .requests(let numbers):
                    fires = numbers.contains(matchCounts[index])
                }
                guard fires else { continue }
                if case .latency(let milliseconds) = rule.kind {
                    draw.latencyMilliseconds += milliseconds
                } else if draw.kind == nil {
                    draw.kind = rule.kind
                }
            }
            return draw
        }
    }
}
