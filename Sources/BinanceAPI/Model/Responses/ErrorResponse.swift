/// Binance's error body `{"code": -1121, "msg": "Invalid symbol."}`, sent with every 4xx and some 5xx responses.
package struct ErrorResponse: Codable, Sendable, Equatable {
    package var code: Int
    package var msg: String

    package init(code: Int, msg: String) {
        self.code = code
        self.msg = msg
    }
}

/// The empty object `{}` that `ping` and `order/test` return.
package struct EmptyResponse: Codable, Sendable, Equatable {
    package init() {}
}
