import Foundation

/// Client order ids generated for orders that come without one: a prefix naming the way in, then random
/// letters and digits, 24 characters in all.
package enum ClientOrderID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Returns a new id such as `bsm-k3J9xQ2LmP0aZ7cV1bN4`: `bsh-` for the shell, `bss-` for scripts, `bsm-` for MCP.
    package static func generate(for origin: Origin) -> String {
        let prefix: String
        switch origin {
        case .shell: prefix = "bsh-"
        case .script: prefix = "bss-"
        case .mcp: prefix = "bsm-"
        }
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
