import BinanceAPI
import Foundation
import Testing
@testable import Simulator

struct ReceivedParametersTests {
    @Test func plainPairsAreRead() throws {
        let parameters = try ReceivedParameters(query: "symbol=BTCUSDT&limit=5&flag", body: Data())
        #expect(parameters["symbol"] == "BTCUSDT")
        #expect(parameters["limit"] == "5")
        #expect(parameters["flag"] == "")
        #expect(parameters.names == ["symbol", "limit", "flag"])
    }

    @Test func escapesAreDecoded() throws {
        let parameters = try ReceivedParameters(
            query: "symbols=%5B%22BTCUSDT%22%5d&note=a+b%20c&odd=100%&bad=%zz&sign=a%3Db",
            body: Data()
        )
        #expect(parameters["symbols"] == "[\"BTCUSDT\"]")
        #expect(parameters["note"] == "a b c")
        #expect(parameters["odd"] == "100%")
        #expect(parameters["bad"] == "%zz")
        #expect(parameters["sign"] == "a=b")
    }

    @Test func queryWinsOverBody() throws {
        let parameters = try ReceivedParameters(query: "side=BUY", body: Data("side=SELL&quantity=1.5".utf8))
        #expect(parameters["side"] == "BUY")
        #expect(parameters["quantity"] == "1.5")
        #expect(parameters.names == ["side", "quantity"])
    }

    @Test(arguments: [2, 16, 17, 40])
    func duplicateNameIsRejected(count: Int) {
        var names = (0..<count - 1).map { "name\($0)=\($0)" }
        names.append("name\((count - 1) / 2)=again")
        #expect(rejectionCode(query: names.joined(separator: "&")) == -1101)
    }

    @Test func escapedDuplicateIsRejected() {
        #expect(rejectionCode(query: "symbol=A&%73ymbol=B") == -1101)
    }

    /// Returns the error code of a rejected query, or nil when it was accepted.
    private func rejectionCode(query: String) -> Int? {
        do {
            _ = try ReceivedParameters(query: query, body: Data())
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [16, 40])
    func distinctNamesAreAccepted(count: Int) throws {
        let query = (0..<count).map { "name\($0)=\($0)" }.joined(separator: "&")
        let parameters = try ReceivedParameters(query: query, body: Data())
        #expect(parameters.names.count == count)
        #expect(parameters["name\(count - 1)"] == "\(count - 1)")
    }
}
