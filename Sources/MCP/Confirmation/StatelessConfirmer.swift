import Foundation
import Tools

/// Confirms orders of stateless (2026-07-28) calls through multi round-trip requests.
///
/// The first call gets an `input_required` result that holds an elicitation form and a sealed `requestState`.
/// The client shows the form and calls again with the same arguments, the answer in `inputResponses` and the
/// state; only then does this confirmer accept.
package final class StatelessConfirmer: OrderConfirmer, @unchecked Sendable {
    /// What the call's reply must become instead of the tool result.
    package enum Outcome: Sendable {
        case none
        case inputRequired(ConfirmationRequest)
        case invalidState
    }

    /// Key of the confirmation in `inputRequests` and `inputResponses`.
    package static let inputKey = "confirm_order"

    package let binding: String
    private let sealer: RequestStateSealer
    private let canElicit: Bool
    private let inputResponses: [String: JSONValue]?
    private let requestState: String?
    // The lock protects `storedOutcome`, written by the tool's task and read when the call finishes.
    private let lock = NSLock()
    private var storedOutcome = Outcome.none

    package init(
        sealer: RequestStateSealer,
        binding: String,
        canElicit: Bool,
        inputResponses: [String: JSONValue]?,
        requestState: String?
    ) {
        self.sealer = sealer
        self.binding = binding
        self.canElicit = canElicit
        self.inputResponses = inputResponses
        self.requestState = requestState
    }

    /// Whether per-request capabilities include form-mode elicitation.
    package static func canElicit(capabilities: [String: JSONValue]) -> Bool {
        guard let elicitation = capabilities["elicitation"]?.objectValue else { return false }
        return elicitation.isEmpty || elicitation["form"] != nil
    }

    package var outcome: Outcome {
        lock.lock()
        defer { lock.unlock() }
        return storedOutcome
    }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        guard canElicit else { return .unavailable(reason: UnavailableConfirmer.noElicitationReason) }
        guard let requestState else {
            store(.inputRequired(request))
            return .unavailable(reason: "The order waits for the user's confirmation.")
        }
        guard sealer.open(requestState, binding: binding), let answer = inputResponses?[Self.inputKey] else {
            store(.invalidState)
            return .cancelled
        }
        return ConfirmationForm.decision(fromElicitResult: answer)
    }

    private func store(_ outcome: Outcome) {
        lock.lock()
        defer { lock.unlock() }
        storedOutcome = outcome
    }
}
