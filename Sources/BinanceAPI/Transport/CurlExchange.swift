import CCurl
import Foundation

/// One request on a libcurl easy handle: its options, the response as it arrives, and the continuation that
/// receives the outcome.
///
/// Once the transfer starts, only the thread that runs it touches the handle: the driver thread or the thread of a
/// `CurlEventLoop`. libcurl calls the header and body callbacks on that thread, so `headers` and `body` need no
/// lock. `continuation` and `isCancelled` are guarded by the lock of the `CurlMultiDriver` or `CurlEventLoop` the
/// exchange was submitted to.
final class CurlExchange: @unchecked Sendable {
    typealias Outcome = Result<HTTPResponse, TransportError>

    /// libcurl's function table.
    private let functions: UnsafePointer<ccurl_library>
    let handle: UnsafeMutableRawPointer
    /// The method and path, such as `GET /api/v3/order`, without the query that contains the signature.
    let label: String
    let baseURL: String
    let timeoutMilliseconds: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?

    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()

    var continuation: CheckedContinuation<Outcome, Never>?
    var isCancelled = false

    /// Creates the easy handle and sets every option of `request`.
    /// - Throws: `TransportError.notSent` when libcurl cannot be initialized or rejects an option.
    init(
        _ request: HTTPRequest,
        library: CurlLibrary,
        timeoutMilliseconds: Int,
        userAgent: String,
        certificateAuthorityFile: String?,
        label: String
    ) throws(TransportError) {
        guard let handle = ccurl_easy_init(library.functions) else {
            throw .notSent("\(label): libcurl could not create a request handle.")
        }
        functions = library.functions
        self.handle = handle
        self.label = label
        self.baseURL = request.baseURL
        self.timeoutMilliseconds = timeoutMilliseconds
        let failure = configure(request, userAgent: userAgent, certificateAuthorityFile: certificateAuthorityFile)
        if let failure {
            throw .notSent("\(label): libcurl rejected the request options (\(describe(failure))).")
        }
    }

    /// Whether `closeHandle()` has freed the handle. The thread that ran the transfer and then `deinit` use it,
    /// never at once.
    private var isClosed = false

    deinit { closeHandle() }

    /// Frees the easy handle and the header list. The thread that ran the transfer calls it after removing the
    /// handle from the multi handle, so every libcurl call on a started handle happens on that thread.
    func closeHandle() {
        guard !isClosed else { return }
        isClosed = true
        ccurl_easy_cleanup(functions, handle)
        ccurl_slist_free_all(functions, headerList)
        headerList = nil
    }

    /// Builds the outcome once libcurl has finished the transfer with `code`.
    func outcome(_ code: CURLcode) -> Outcome {
        guard code == CURLE_OK else { return .failure(classify(code)) }
        var status = 0
        _ = ccurl_easy_getinfo_long(functions, handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    // MARK: - Options

    /// Sets the options and returns the first code libcurl rejected, or nil.
    private func configure(_ request: HTTPRequest, userAgent: String, certificateAuthorityFile: String?) -> CURLcode? {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = [
            ccurl_easy_setopt_string(functions, handle, CURLOPT_URL, request.baseURL + request.target),
            ccurl_easy_setopt_string(functions, handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            // The transport runs on threads, so libcurl must not use signals for its timeouts.
            ccurl_easy_setopt_long(functions, handle, CURLOPT_NOSIGNAL, 1),
            ccurl_easy_setopt_long(functions, handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds),
            // An empty string accepts every encoding this libcurl decodes, and it decodes the body.
            ccurl_easy_setopt_string(functions, handle, CURLOPT_ACCEPT_ENCODING, ""),
            ccurl_easy_setopt_string(functions, handle, CURLOPT_USERAGENT, userAgent),
            ccurl_easy_setopt_write_function(functions, handle, CURLOPT_HEADERFUNCTION, Self.receiveHeader),
            ccurl_easy_setopt_pointer(functions, handle, CURLOPT_HEADERDATA, context),
            ccurl_easy_setopt_write_function(functions, handle, CURLOPT_WRITEFUNCTION, Self.receiveBody),
            ccurl_easy_setopt_pointer(functions, handle, CURLOPT_WRITEDATA, context),
        ]
        codes += configureMethod(request)
        // libcurl verifies the peer and its host name by default, against this file when one is given.
        if let certificateAuthorityFile {
            codes.append(ccurl_easy_setopt_string(functions, handle, CURLOPT_CAINFO, certificateAuthorityFile))
        }

        // An empty `Expect:` stops libcurl from waiting for `100 Continue` before sending a large body.
        var lines = ["Expect:"]
        for (name, value) in request.headers {
            lines.append("\(name): \(value)")
        }
        for line in lines {
            guard let extended = ccurl_slist_append(functions, headerList, line) else {
                return CURLE_OUT_OF_MEMORY
            }
            headerList = extended
        }
        codes.append(ccurl_easy_setopt_list(functions, handle, CURLOPT_HTTPHEADER, headerList))
        return codes.first { $0 != CURLE_OK }
    }

    /// Sets the method and body, and keeps any request other than a read off reused connections.
    private func configureMethod(_ request: HTTPRequest) -> [CURLcode] {
        var codes: [CURLcode] = []
        let sendsBody = request.method == .post || request.method == .put || !request.body.isEmpty
        if sendsBody {
            codes.append(ccurl_easy_setopt_long(functions, handle, CURLOPT_POST, 1))
            let size = curl_off_t(request.body.count)
            codes.append(ccurl_easy_setopt_offset(functions, handle, CURLOPT_POSTFIELDSIZE_LARGE, size))
            // libcurl copies the bytes, so `request.body` need not outlive this call.
            codes.append(
                request.body.withUnsafeBytes { bytes in
                    guard let start = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                        return ccurl_easy_setopt_string(functions, handle, CURLOPT_COPYPOSTFIELDS, "")
                    }
                    return ccurl_easy_setopt_string(functions, handle, CURLOPT_COPYPOSTFIELDS, start)
                }
            )
        }
        // libcurl sends POST when there is a body and GET otherwise, and CURLOPT_CUSTOMREQUEST replaces the word.
        if request.method != (sendsBody ? .post : .get) {
            codes.append(ccurl_easy_setopt_string(functions, handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
        }
        if request.method != .get {
            codes.append(ccurl_easy_setopt_long(functions, handle, CURLOPT_FRESH_CONNECT, 1))
            codes.append(ccurl_easy_setopt_long(functions, handle, CURLOPT_FORBID_REUSE, 1))
        }
        return codes
    }

    // MARK: - Callbacks

    /// Stores one header line. A status line starts a new response (after `100 Continue`, for example), so it
    /// drops the headers of the one before. Repeated fields are joined with ", ".
    private static let receiveHeader: curl_write_callback = { data, size, count, context in
        let length = size * count
        guard let data, let context else { return length }
        let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
        let line = UnsafeRawBufferPointer(start: data, count: length)
        if line.starts(with: "HTTP/".utf8) {
            exchange.headers.removeAll(keepingCapacity: true)
        } else if let field = HTTPHeaderLine(line) {
            if let earlier = exchange.headers[field.name] {
                exchange.headers[field.name] = earlier + ", " + field.value
            } else {
                exchange.headers[field.name] = field.value
            }
        }
        return length
    }

    private static let receiveBody: curl_write_callback = { data, size, count, context in
        let length = size * count
        guard let data, let context else { return length }
        let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
        exchange.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
        return length
    }

    // MARK: - Errors

    /// Maps a libcurl result to what it proves about the request.
    func classify(_ code: CURLcode) -> TransportError {
        let reason = describe(code)
        // Some codes also end a transfer whose request was already written: libcurl 7.88 reports a reply that
        // is not HTTP as CURLE_UNSUPPORTED_PROTOCOL. Once any request byte went out, only the outcome is known.
        var requestBytes = 0
        _ = ccurl_easy_getinfo_long(functions, handle, CURLINFO_REQUEST_SIZE, &requestBytes)
        if requestBytes > 0, code != CURLE_OPERATION_TIMEDOUT {
            let detail = code == CURLE_UNSUPPORTED_PROTOCOL ? "the server's response is not HTTP (\(reason))" : reason
            return .outcomeUnknown("\(label): \(detail).")
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            let seconds = Double(timeoutMilliseconds) / 1000
            return .outcomeUnknown("\(label): no complete response within \(seconds) s.")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .notSent("\(label): the base URL '\(baseURL)' is not valid (\(reason)).")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_FAILED_INIT:
            return .notSent("\(label): \(reason).")
        default:
            return .outcomeUnknown("\(label): \(reason).")
        }
    }

    /// Returns a fixed description of a libcurl result with its number. Neither contains the URL or its query.
    func describe(_ code: CURLcode) -> String {
        let text: String
        switch code {
        case CURLE_COULDNT_CONNECT: text = "could not connect to the server"
        case CURLE_COULDNT_RESOLVE_HOST: text = "the host name could not be resolved"
        case CURLE_COULDNT_RESOLVE_PROXY: text = "the proxy's host name could not be resolved"
        case CURLE_SSL_CONNECT_ERROR: text = "the TLS handshake failed"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS:
            text = "the server's TLS certificate was not accepted (for a private certificate authority, set "
                + "BINANCE_CA_FILE to its PEM file)"
        case CURLE_SSL_CACERT_BADFILE:
            text = "the CA file could not be read as PEM certificates (check BINANCE_CA_FILE or SSL_CERT_FILE)"
        case CURLE_OPERATION_TIMEDOUT: text = "timed out waiting for the server"
        case CURLE_GOT_NOTHING: text = "the connection closed before any response"
        case CURLE_PARTIAL_FILE: text = "the response body ended before its announced length"
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR: text = "the connection was lost before the response was complete"
        case CURLE_WEIRD_SERVER_REPLY: text = "the server's response could not be read"
        default: text = String(cString: ccurl_easy_strerror(functions, code))
        }
        return "\(text), libcurl error \(code.rawValue)"
    }
}

/// One `Name: value` header line as libcurl passes it, with the name in lower case and the value trimmed.
struct HTTPHeaderLine {
    let name: String
    let value: String

    /// Returns nil for a line without a colon, such as the blank line that ends the header.
    init?(_ line: UnsafeRawBufferPointer) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let lowered = line[..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        var start = colon + 1
        var end = line.count
        while start < end, Self.isWhitespace(line[start]) { start += 1 }
        while end > start, Self.isWhitespace(line[end - 1]) { end -= 1 }
        name = String(decoding: lowered, as: UTF8.self)
        value = String(decoding: line[start..<end], as: UTF8.self)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
