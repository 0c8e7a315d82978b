import Foundation

/// A small JSON state file in the state directory whose read-modify-write is atomic across processes.
///
/// `update` takes an exclusive `flock` of a companion `<name>.lock` file, reads the state, lets the caller
/// change it, and replaces the file by writing a temporary file and renaming it. The lock file is opened anew
/// for every update, so two updates in one process exclude each other exactly as two processes do. Readers
/// that need no decision take no lock: a rename replaces the whole file, so a read sees one version or the other.
struct LockedStateFile: Sendable {
    let path: String
    let lockPath: String

    init(directory: String, name: String) {
        path = (directory as NSString).appendingPathComponent(name)
        lockPath = path + ".lock"
    }

    /// Returns the stored state, or nil when the file is missing or cannot be parsed.
    func read() -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONValue.parse(data)
    }

    /// Runs `change` on the stored state under the lock and stores the state it returns, unless that is nil.
    /// - Parameter sync: sync the new file to disk before the lock is released.
    /// - Returns: the second value `change` returns.
    /// - Throws: `SecureFileError` when the lock or the file cannot be opened or written; nothing was stored.
    func update<Outcome>(
        sync: Bool,
        _ change: (JSONValue?) -> (state: JSONValue?, outcome: Outcome)
    ) throws(SecureFileError) -> Outcome {
        try SecureFile.createDirectory(atPath: (path as NSString).deletingLastPathComponent)
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw SecureFileError(operation: "Opening", path: lockPath, code: errno) }
        // Closing the descriptor releases the lock.
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SecureFileError(operation: "Locking", path: lockPath, code: errno) }
        }
        let (state, outcome) = change(read())
        if let state {
            try SecureFile.replaceContents(ofPath: path, with: Data((state.serialized() + "\n").utf8), sync: sync)
        }
        return outcome
    }
}
