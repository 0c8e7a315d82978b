import Foundation

/// A small structured logger in the manner of swift-log: constant messages, data in metadata.
///
/// Library modules take a logger from their caller and default to `Logger.disabled`. The executable
/// creates the one that writes to stderr. Callers redact metadata before logging.
package struct Logger: Sendable {
    package enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        package var name: String { String(describing: self) }

        package static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    package typealias Metadata = [String: String]
    package typealias Handler = @Sendable (_ level: Level, _ message: String, _ metadata: Metadata) -> Void

    package var label: String
    package var minimumLevel: Level
    private let handler: Handler?

    package init(label: String, minimumLevel: Level = .info, handler: Handler?) {
        self.label = label
        self.minimumLevel = minimumLevel
        self.handler = handler
    }

    /// A logger that drops every record.
    package static let disabled = Logger(label: "disabled", handler: nil)

    package func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        guard let handler, level >= minimumLevel else { return }
        handler(level, message(), metadata())
    }

    package func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.trace, message(), metadata())
    }

    package func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.debug, message(), metadata())
    }

    package func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.info, message(), metadata())
    }

    package func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.warning, message(), metadata())
    }

    package func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.error, message(), metadata())
    }
}
