import Foundation

/// A failed file operation on the state directory, with the system's reason.
package struct SecureFileError: Error, Sendable, Equatable, CustomStringConvertible {
    package var operation: String
    package var path: String
    package var code: Int32

    package var description: String { "\(operation) '\(path)' failed: \(String(cString: strerror(code)))" }
}

/// File operations for the state directory: owner-only modes, no partial files.
package enum SecureFile {
    /// Creates a directory and its parents with mode 0700; an existing directory is left as it is.
    package static func createDirectory(atPath path: String) throws(SecureFileError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + String(component)
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw SecureFileError(operation: "Creating the directory", path: prefix, code: errno)
            }
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SecureFileError(operation: "Creating the directory", path: path, code: ENOTDIR)
        }
    }

    /// Makes sure the state directory exists and this process can create files in it, by creating the directory
    /// (mode 0700) and creating and removing a probe file. Called once at start, so a home that cannot hold the
    /// audit log or the kill switch stops the program instead of leaving them unwritten.
    /// - Throws: `configuration_error` naming the directory, the reason and the fix.
    package static func prepareStateDirectory(_ path: String) throws(ToolError) {
        let probe = (path as NSString).appendingPathComponent(".write-probe-\(getpid())")
        do throws(SecureFileError) {
            try createDirectory(atPath: path)
            let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw SecureFileError(operation: "Creating", path: probe, code: errno) }
            close(descriptor)
            unlink(probe)
        } catch {
            throw ToolError(
                .configurationError,
                "BINANCE_SHELL_HOME \(UntrustedText.quoted(path, maximumLength: 256)) is not a writable directory "
                    + "(\(error.description)).",
                hint: "Set BINANCE_SHELL_HOME to a directory you can write, or fix the permissions of this one; the "
                    + "audit log, the kill switch and the daily budget live there."
            )
        }
    }

    /// Replaces a file's contents atomically: writes a temporary file with mode 0600, syncs it unless
    /// `sync` is false, and renames it over the file.
    package static func replaceContents(ofPath path: String, with data: Data, sync: Bool = true)
        throws(SecureFileError)
    {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SecureFileError(operation: "Creating", path: temporary, code: errno) }
        defer { close(descriptor) }
        try writeAll(data, to: descriptor, path: temporary)
        if sync, fsync(descriptor) != 0 { throw SecureFileError(operation: "Syncing", path: temporary, code: errno) }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SecureFileError(operation: "Renaming", path: temporary, code: code)
        }
    }

    /// Writes every byte of `data` to an open descriptor, retrying short writes and interruptions.
    package static func writeAll(_ data: some ContiguousBytes, to descriptor: Int32, path: String) throws(SecureFileError) {
        let failure: Int32? = data.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw SecureFileError(operation: "Writing", path: path, code: failure) }
    }

    /// Returns the permission bits of a file, or nil when it does not exist.
    package static func mode(ofPath path: String) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }
}
