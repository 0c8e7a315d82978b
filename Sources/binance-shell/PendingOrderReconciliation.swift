import Foundation
import Shell
import Tools

/// Looks up, on the exchange, each order whose intent the audit log holds without an outcome, because an
/// earlier run stopped between sending the order and recording its result.
///
/// Each order is queried by its client order id with `get_order`; it is never sent again. An order the
/// exchange reports (in any status) or does not know (-2013) is settled: an `intent_reported` event records
/// the finding, so later starts do not look it up again. An order whose lookup failed for another reason stays
/// pending and is looked up again at the next start.
/// - Returns: one line per order for stderr, saying what the exchange reports.
func reconcilePendingOrders(engine: ToolEngine, origin: Origin) async -> [String] {
    let audit = engine.services.audit
    var lines: [String] = []
    for pending in await audit.pendingIntents() {
        guard let symbol = pending.intent["symbol"]?.stringValue, let clientOrderID = pending.clientOrderID else {
            continue
        }
        let invocation = Invocation(
            origin: origin,
            requestID: "startup",
            waitPolicy: .failFast,
            confirmer: ScriptOrderConfirmer(isPreapproved: false)
        )
        let result = await engine.invoke(
            "get_order",
            arguments: ["symbol": .string(symbol), "client_order_id": .string(clientOrderID)],
            invocation: invocation
        )
        let finding: String
        let outcome: String
        if let status = result.data?["order"]?["status"]?.stringValue {
            finding = "is \(status) on the exchange"
            outcome = status
        } else if result.error?["code"]?.decimalValue == -2013 {
            finding = "was not found on the exchange, so it was not placed"
            outcome = "not_found"
        } else {
            let message = result.error?["message"]?.stringValue ?? "the lookup failed"
            lines.append(
                "Order '\(clientOrderID)' on \(symbol) from an earlier run has no recorded outcome and could not be "
                    + "looked up (\(message)); it is checked again at the next start."
            )
            continue
        }
        await audit.recordReportingFailure(
            AuditEvent(
                .intentReported,
                origin: origin,
                outcome: outcome,
                venue: engine.services.venue,
                invocationID: pending.invocationID,
                details: ["intent": pending.intent, "order_status": .string(outcome)]
            )
        )
        lines.append("Order '\(clientOrderID)' on \(symbol) from an earlier run, whose outcome was not recorded, \(finding).")
    }
    return lines
}
