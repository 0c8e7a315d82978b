import BinanceAPI
import Foundation
import Testing

/// The limiter near window boundaries: guard band, late headers, refunds, clocks of two processes.
@Suite struct WindowBoundaryTests {
    static let tenSeconds: Int64 = 10_000
    static let orders3 = LimitWindow(kind: .orders, intervalMilliseconds: tenSeconds, limit: 3)
    static let weight10 = LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 10)
    static let order = RequestCost(weight: 1, orders: 1)

    @Test func reservationInGuardBandCountsInNextWindow() {
        var state = RateLimiterState(windows: [Self.orders3])

        #expect(state.reserve(Self.order, now: 1_000, guardMilliseconds: 500) == .proceed)
        #expect(state.reserve(Self.order, now: 9_600, guardMilliseconds: 500) == .proceed)
        #expect(state.reserve(Self.order, now: 9_700, guardMilliseconds: 500) == .proceed)

        // The two orders reserved in the last 500 ms may arrive after 10 s, so the next window starts at 2.
        #expect(state.usage(now: 10_000).first?.used == 2)
        #expect(state.reserve(Self.order, now: 10_600, guardMilliseconds: 500) == .proceed)
        #expect(state.reserve(Self.order, now: 10_700, guardMilliseconds: 500) == .wait(until: 20_500, kind: .orders))
    }

    @Test func reservationEarlyInAWindowMustFitThePreviousOne() {
        var state = RateLimiterState(windows: [Self.orders3])
        for time: Int64 in [1_000, 2_000, 3_000] {
            #expect(state.reserve(Self.order, now: time, guardMilliseconds: 500) == .proceed)
        }

        // At 10 100 the clock offset may be off enough that the order lands before 10 000, in a full window.
        #expect(state.reserve(Self.order, now: 10_100, guardMilliseconds: 500) == .wait(until: 10_500, kind: .orders))
        #expect(state.reserve(Self.order, now: 10_500, guardMilliseconds: 500) == .proceed)
    }

    @Test func earlyReservationCountsInThePreviousWindow() {
        var state = RateLimiterState(windows: [Self.orders3])
        #expect(state.reserve(Self.order, now: 1_000, guardMilliseconds: 500) == .proceed)
        #expect(state.reserve(Self.order, now: 2_000, guardMilliseconds: 500) == .proceed)

        #expect(state.reserve(Self.order, now: 10_100, guardMilliseconds: 500) == .proceed)
        #expect(state.reserve(Self.order, now: 10_200, guardMilliseconds: 500) == .wait(until: 10_500, kind: .orders))
        #expect(state.usage(now: 10_200).first?.used == 1)
    }

    @Test func reservationOutsideGuardBandDoesNotCarry() {
        var state = RateLimiterState(windows: [Self.orders3])

        #expect(state.reserve(Self.order, now: 9_400, guardMilliseconds: 500) == .proceed)

        #expect(state.usage(now: 10_000).first?.used == 0)
    }

    @Test func guardBandIsCappedAtAQuarterOfTheWindow() {
        var state = RateLimiterState(windows: [Self.orders3])

        // A guard of a minute would count every order twice; a 10 s window caps it at 2.5 s.
        #expect(state.reserve(Self.order, now: 7_400, guardMilliseconds: 60_000) == .proceed)
        #expect(state.reserve(Self.order, now: 7_600, guardMilliseconds: 60_000) == .proceed)

        #expect(state.usage(now: 10_000).first?.used == 1)
    }

    @Test func skippedWindowStartsEmpty() {
        var state = RateLimiterState(windows: [Self.orders3])

        #expect(state.reserve(Self.order, now: 9_900, guardMilliseconds: 500) == .proceed)

        #expect(state.usage(now: 20_000).first?.used == 0)
    }

    @Test func earlierClockCountsInTheLaterWindow() {
        var state = RateLimiterState(windows: [Self.orders3])
        #expect(state.reserve(Self.order, now: 10_100) == .proceed)

        // Another process whose clock is 200 ms behind reserves at 9 900: the window does not go back.
        #expect(state.reserve(Self.order, now: 9_900) == .proceed)
        #expect(state.reserve(Self.order, now: 9_950) == .proceed)

        #expect(state.usage(now: 10_200).first?.used == 3)
        #expect(state.reserve(Self.order, now: 10_300) == .wait(until: 20_000, kind: .orders))
    }

    @Test func headerOfRequestSpanningABoundaryIsIgnored() {
        var state = RateLimiterState(windows: [Self.weight10])

        state.observe(ServerUsage(usedWeight: [60_000: 9]), sentAt: 59_900, receivedAt: 60_100)
        #expect(state.usage(now: 60_100).first?.used == 0)

        state.observe(ServerUsage(usedWeight: [60_000: 7]), sentAt: 60_200, receivedAt: 60_300)
        #expect(state.usage(now: 60_300).first?.used == 7)
    }

    @Test func refundAppliesOnlyInTheReservationWindow() {
        let placement = RequestCost(weight: 1, weightOnSuccess: 0, orders: 1)
        var state = RateLimiterState(windows: [Self.weight10])
        #expect(state.reserve(RequestCost(weight: 5), now: 59_000) == .proceed)
        #expect(state.reserve(placement, now: 59_500) == .proceed)

        state.complete(placement, succeeded: true, now: 59_600, reservedAt: 59_500)
        #expect(state.usage(now: 59_600).first?.used == 5)

        #expect(state.reserve(RequestCost(weight: 2), now: 60_000) == .proceed)
        state.complete(placement, succeeded: true, now: 60_100, reservedAt: 59_900)
        #expect(state.usage(now: 60_100).first?.used == 2)
    }

    @Test func stateSurvivesJSONRoundTrip() throws {
        var state = RateLimiterState(windows: [Self.orders3, Self.weight10])
        state.configure([Self.orders3, Self.weight10], at: 1_234)
        #expect(state.reserve(Self.order, now: 9_800, guardMilliseconds: 500) == .proceed)
        state.pause(until: 50_000)
        state.ban(until: 40_000)

        let decoded = try JSONDecoder().decode(RateLimiterState.self, from: JSONEncoder().encode(state))

        #expect(decoded == state)
        #expect(decoded.limitsAdoptedAt == 1_234)
        #expect(decoded.hasExchangeLimits)
        #expect(decoded.usage(now: 10_000).map(\.used) == [1, 1])
    }
}

@Suite struct WalletLimitTests {
    @Test func sapiEndpointsHaveTheirOwnScopes() {
        #expect(Endpoint.account.limitScope == .spot)
        #expect(Endpoint.positionRisk.limitScope == .futures)
        #expect(Endpoint.tradeFee.limitScope == .walletIP(path: "/sapi/v1/asset/tradeFee"))
        #expect(Endpoint.accountSnapshot.limitScope == .walletIP(path: "/sapi/v1/accountSnapshot"))
        #expect(Endpoint.withdrawHistory.limitScope == .walletUID(path: "/sapi/v1/capital/withdraw/history"))
    }

    @Test func sapiScopesUseDocumentedLimits() {
        let ip = LimitScope.walletIP(path: "/sapi/v1/asset/tradeFee")
        let uid = LimitScope.walletUID(path: "/sapi/v1/capital/withdraw/history")

        #expect(ip.defaultWindows == [LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 12_000)])
        #expect(
            uid.defaultWindows == [
                LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 180_000),
                LimitWindow(kind: .rawRequests, intervalMilliseconds: 1000, limit: 10),
            ]
        )
        #expect(ip.weightHeaderPrefix == "x-sapi-used-ip-weight-")
        #expect(uid.weightHeaderPrefix == "x-sapi-used-uid-weight-")
    }

    @Test func withdrawHistoryCostsUIDWeight() {
        #expect(Endpoint.withdrawHistory.cost(for: ["coin": "BTC"]).weight == 18_000)
        #expect(Endpoint.accountSnapshot.cost(for: ["type": "SPOT"]).weight == 2400)
        #expect(Endpoint.depositAddress.cost(for: ["coin": "BTC"]).weight == 10)
    }

    @Test func sapiWeightHeadersAreRead() {
        let headers = ["X-SAPI-USED-IP-WEIGHT-1M": "11990", "X-MBX-USED-WEIGHT-1M": "3"]

        #expect(ServerUsage(headers: headers, weightHeaderPrefix: "x-sapi-used-ip-weight-").usedWeight == [60_000: 11_990])
        #expect(ServerUsage(headers: headers).usedWeight == [60_000: 3])
    }
}
