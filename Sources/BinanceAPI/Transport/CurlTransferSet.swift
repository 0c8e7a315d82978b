import CCurl

/// The transfers in one libcurl multi handle, keyed by easy handle. Only the thread that drives the handle uses it.
struct CurlTransferSet {
    private var running: [UnsafeMutableRawPointer: CurlExchange] = [:]

    var isEmpty: Bool { running.isEmpty }

    /// Adds the transfer of `exchange` to `multi`. Returns nil once it runs, or the outcome to report when libcurl
    /// could not start it.
    mutating func start(
        _ exchange: CurlExchange,
        in multi: UnsafeMutableRawPointer,
        library: CurlLibrary
    ) -> CurlExchange.Outcome? {
        let code = ccurl_multi_add_handle(library.functions, multi, exchange.handle)
        guard code == CURLM_OK else {
            let reason = String(cString: ccurl_multi_strerror(library.functions, code))
            return .failure(.notSent("\(exchange.label): libcurl could not start the request (\(reason))."))
        }
        running[exchange.handle] = exchange
        return nil
    }

    /// Removes the transfer of `exchange` from `multi` and closes its handle. Returns false when it had already
    /// finished.
    mutating func remove(_ exchange: CurlExchange, from multi: UnsafeMutableRawPointer, library: CurlLibrary) -> Bool {
        // A finished exchange has freed its handle, whose address a later transfer may have, so the match is by
        // identity.
        guard running[exchange.handle] === exchange else { return false }
        running[exchange.handle] = nil
        ccurl_multi_remove_handle(library.functions, multi, exchange.handle)
        exchange.closeHandle()
        return true
    }

    /// Removes the transfers of `multi` that have finished, closes their handles and returns each exchange with its
    /// outcome.
    mutating func takeFinished(
        from multi: UnsafeMutableRawPointer,
        library: CurlLibrary
    ) -> [(exchange: CurlExchange, outcome: CurlExchange.Outcome)] {
        var finished: [(exchange: CurlExchange, outcome: CurlExchange.Outcome)] = []
        var queued: Int32 = 0
        while let message = ccurl_multi_info_read(library.functions, multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            ccurl_multi_remove_handle(library.functions, multi, handle)
            guard let exchange = running.removeValue(forKey: handle) else { continue }
            finished.append((exchange, exchange.outcome(code)))
            exchange.closeHandle()
        }
        return finished
    }
}
