import CCurl

/// libcurl's functions, loaded with `dlopen` by the first transport that needs them.
///
/// Loading on demand keeps libcurl and the libraries it pulls in (GnuTLS, Kerberos, LDAP and more) out of every
/// process that never sends a request over the network, such as a session on the built-in simulator.
struct CurlLibrary: @unchecked Sendable {
    /// The resolved function table, which stays valid for the rest of the process.
    let functions: UnsafePointer<ccurl_library>

    /// libcurl as this process uses it: loaded and initialized once, or the reason that failed.
    static let shared: Result<CurlLibrary, CurlLibraryError> = load(path: "libcurl.so.4")

    /// Opens the shared library at `path`, resolves the functions the transport calls and runs
    /// `curl_global_init`. Only `shared` and tests call it.
    static func load(path: String) -> Result<CurlLibrary, CurlLibraryError> {
        var message: UnsafePointer<CChar>?
        guard let functions = ccurl_load(path, &message) else {
            let reason = message.map { String(cString: $0) } ?? "no reason given"
            return .failure(CurlLibraryError(reason: "'\(path)' could not be loaded (\(reason))"))
        }
        let code = ccurl_global_init(functions, Int(CURL_GLOBAL_DEFAULT))
        guard code == CURLE_OK else {
            return .failure(CurlLibraryError(reason: "curl_global_init failed with libcurl error \(code.rawValue)"))
        }
        return .success(CurlLibrary(functions: functions))
    }
}

/// The reason libcurl could not be loaded or initialized.
struct CurlLibraryError: Error, Equatable {
    let reason: String

    /// The reason followed by the fix, for people who may have the binary alone: the package that provides
    /// `libcurl.so.4` on Debian and Ubuntu is `libcurl4`.
    var message: String {
        "libcurl could not be used: \(reason). Requests to a network venue need the shared library libcurl.so.4: "
            + "install it with 'apt-get install libcurl4' on Debian or Ubuntu, or with your system's libcurl "
            + "package. The simulated exchange, used when no API key is set, works without it."
    }
}

extension CurlTransport {
    /// Returns why libcurl cannot be used, with the fix, or nil when it loaded. Loads libcurl on the first call.
    ///
    /// The program checks this at start for a network venue, so a missing library is reported once as a
    /// configuration problem instead of as a failure of every request.
    package static func libraryProblem() -> String? {
        guard case .failure(let error) = CurlLibrary.shared else { return nil }
        return error.message
    }
}
