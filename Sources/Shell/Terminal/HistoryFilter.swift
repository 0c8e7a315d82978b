import Foundation

/// Decides which command lines may be kept in the history file.
package enum HistoryFilter {
    /// Words that suggest a credential: a line containing one is never stored.
    private static let sensitiveWords = [
        "secret", "api_key", "apikey", "api-key", "password", "passwd", "private", "token", "signature",
        "binance_api", "mnemonic", "seed",
    ]

    /// Returns false for blank lines and for lines that could carry a secret: a sensitive word, or a word of
    /// 32 or more letters and digits (the shape of an API key, secret or signature).
    package static func shouldStore(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return false }
        let lower = trimmed.lowercased()
        if sensitiveWords.contains(where: { lower.contains($0) }) { return false }
        let runs = trimmed.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return !runs.contains { $0.count >= 32 }
    }
}
