import BinanceAPI

/// One entry of a symbol's `filters`. Every member but the type is optional because each filter type has its
/// own members. Spot and futures also name some of them differently (`minNotional` against `notional`).
///
/// Only the members a filter has are stored, in one small array, because an index of 3,000 symbols contains
/// about 27,000 filters: a stored property for every member made each filter 480 bytes.
package struct SymbolFilter: Sendable, Equatable, Decodable {
    package var filterType: String
    /// The members that are set, ordered by `Member`, so equal filters have equal arrays.
    private var members: [StoredMember] = []

    package var minPrice: DecimalValue? {
        get { decimal(.minPrice) }
        set { set(newValue.map(Value.decimal), for: .minPrice) }
    }
    package var maxPrice: DecimalValue? {
        get { decimal(.maxPrice) }
        set { set(newValue.map(Value.decimal), for: .maxPrice) }
    }
    package var tickSize: DecimalValue? {
        get { decimal(.tickSize) }
        set { set(newValue.map(Value.decimal), for: .tickSize) }
    }
    package var minQty: DecimalValue? {
        get { decimal(.minQty) }
        set { set(newValue.map(Value.decimal), for: .minQty) }
    }
    package var maxQty: DecimalValue? {
        get { decimal(.maxQty) }
        set { set(newValue.map(Value.decimal), for: .maxQty) }
    }
    package var stepSize: DecimalValue? {
        get { decimal(.stepSize) }
        set { set(newValue.map(Value.decimal), for: .stepSize) }
    }
    package var minNotional: DecimalValue? {
        get { decimal(.minNotional) }
        set { set(newValue.map(Value.decimal), for: .minNotional) }
    }
    package var maxNotional: DecimalValue? {
        get { decimal(.maxNotional) }
        set { set(newValue.map(Value.decimal), for: .maxNotional) }
    }
    /// Futures MIN_NOTIONAL's minimum, which spot calls `minNotional`.
    package var notional: DecimalValue? {
        get { decimal(.notional) }
        set { set(newValue.map(Value.decimal), for: .notional) }
    }
    package var applyToMarket: Bool? {
        get { flag(.applyToMarket) }
        set { set(newValue.map(Value.flag), for: .applyToMarket) }
    }
    package var applyMinToMarket: Bool? {
        get { flag(.applyMinToMarket) }
        set { set(newValue.map(Value.flag), for: .applyMinToMarket) }
    }
    package var applyMaxToMarket: Bool? {
        get { flag(.applyMaxToMarket) }
        set { set(newValue.map(Value.flag), for: .applyMaxToMarket) }
    }
    package var bidMultiplierUp: DecimalValue? {
        get { decimal(.bidMultiplierUp) }
        set { set(newValue.map(Value.decimal), for: .bidMultiplierUp) }
    }
    package var bidMultiplierDown: DecimalValue? {
        get { decimal(.bidMultiplierDown) }
        set { set(newValue.map(Value.decimal), for: .bidMultiplierDown) }
    }
    package var askMultiplierUp: DecimalValue? {
        get { decimal(.askMultiplierUp) }
        set { set(newValue.map(Value.decimal), for: .askMultiplierUp) }
    }
    package var askMultiplierDown: DecimalValue? {
        get { decimal(.askMultiplierDown) }
        set { set(newValue.map(Value.decimal), for: .askMultiplierDown) }
    }
    package var multiplierUp: DecimalValue? {
        get { decimal(.multiplierUp) }
        set { set(newValue.map(Value.decimal), for: .multiplierUp) }
    }
    package var multiplierDown: DecimalValue? {
        get { decimal(.multiplierDown) }
        set { set(newValue.map(Value.decimal), for: .multiplierDown) }
    }
    package var avgPriceMins: Int? {
        get { integer(.avgPriceMins) }
        set { set(newValue.map(Value.integer), for: .avgPriceMins) }
    }
    package var limit: Int? {
        get { integer(.limit) }
        set { set(newValue.map(Value.integer), for: .limit) }
    }
    package var maxNumOrders: Int? {
        get { integer(.maxNumOrders) }
        set { set(newValue.map(Value.integer), for: .maxNumOrders) }
    }
    package var maxNumAlgoOrders: Int? {
        get { integer(.maxNumAlgoOrders) }
        set { set(newValue.map(Value.integer), for: .maxNumAlgoOrders) }
    }
    /// TRAILING_DELTA bounds in basis points: "above" for orders that trigger on a rise, "below" on a fall.
    package var minTrailingAboveDelta: Int? {
        get { integer(.minTrailingAboveDelta) }
        set { set(newValue.map(Value.integer), for: .minTrailingAboveDelta) }
    }
    package var maxTrailingAboveDelta: Int? {
        get { integer(.maxTrailingAboveDelta) }
        set { set(newValue.map(Value.integer), for: .maxTrailingAboveDelta) }
    }
    package var minTrailingBelowDelta: Int? {
        get { integer(.minTrailingBelowDelta) }
        set { set(newValue.map(Value.integer), for: .minTrailingBelowDelta) }
    }
    package var maxTrailingBelowDelta: Int? {
        get { integer(.maxTrailingBelowDelta) }
        set { set(newValue.map(Value.integer), for: .maxTrailingBelowDelta) }
    }

    package init(filterType: String) { self.filterType = filterType }

    /// Creates a filter with room for `memberCount` members, so setting them allocates once.
    init(filterType: String, memberCount: Int) {
        self.filterType = filterType
        members.reserveCapacity(memberCount)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Member.self)
        filterType = try container.decode(String.self, forKey: .filterType)
        func decode<Wrapped: Decodable>(_ type: Wrapped.Type, _ member: Member, as wrap: (Wrapped) -> Value) throws {
            if let value = try container.decodeIfPresent(type, forKey: member) { set(wrap(value), for: member) }
        }
        try decode(DecimalValue.self, .minPrice, as: Value.decimal)
        try decode(DecimalValue.self, .maxPrice, as: Value.decimal)
        try decode(DecimalValue.self, .tickSize, as: Value.decimal)
        try decode(DecimalValue.self, .minQty, as: Value.decimal)
        try decode(DecimalValue.self, .maxQty, as: Value.decimal)
        try decode(DecimalValue.self, .stepSize, as: Value.decimal)
        try decode(DecimalValue.self, .minNotional, as: Value.decimal)
        try decode(DecimalValue.self, .maxNotional, as: Value.decimal)
        try decode(DecimalValue.self, .notional, as: Value.decimal)
        try decode(Bool.self, .applyToMarket, as: Value.flag)
        try decode(Bool.self, .applyMinToMarket, as: Value.flag)
        try decode(Bool.self, .applyMaxToMarket, as: Value.flag)
        try decode(DecimalValue.self, .bidMultiplierUp, as: Value.decimal)
        try decode(DecimalValue.self, .bidMultiplierDown, as: Value.decimal)
        try decode(DecimalValue.self, .askMultiplierUp, as: Value.decimal)
        try decode(DecimalValue.self, .askMultiplierDown, as: Value.decimal)
        try decode(DecimalValue.self, .multiplierUp, as: Value.decimal)
        try decode(DecimalValue.self, .multiplierDown, as: Value.decimal)
        try decode(Int.self, .avgPriceMins, as: Value.integer)
        try decode(Int.self, .limit, as: Value.integer)
        try decode(Int.self, .maxNumOrders, as: Value.integer)
        try decode(Int.self, .maxNumAlgoOrders, as: Value.integer)
        try decode(Int.self, .minTrailingAboveDelta, as: Value.integer)
        try decode(Int.self, .maxTrailingAboveDelta, as: Value.integer)
        try decode(Int.self, .minTrailingBelowDelta, as: Value.integer)
        try decode(Int.self, .maxTrailingBelowDelta, as: Value.integer)
    }

    /// The members, named as in JSON; the raw value orders `members`.
    private enum Member: Int, CodingKey {
        case filterType
        case minPrice, maxPrice, tickSize, minQty, maxQty, stepSize, minNotional, maxNotional, notional
        case applyToMarket, applyMinToMarket, applyMaxToMarket
        case bidMultiplierUp, bidMultiplierDown, askMultiplierUp, askMultiplierDown, multiplierUp, multiplierDown
        case avgPriceMins, limit, maxNumOrders, maxNumAlgoOrders
        case minTrailingAboveDelta, maxTrailingAboveDelta, minTrailingBelowDelta, maxTrailingBelowDelta
    }

    private enum Value: Sendable, Equatable {
        case decimal(DecimalValue)
        case integer(Int)
        case flag(Bool)
    }

    /// One member that is set; the value comes first so the pair packs into 24 bytes.
    private struct StoredMember: Sendable, Equatable {
        var value: Value
        var member: Member
    }

    private func value(_ member: Member) -> Value? {
        members.first { $0.member == member }?.value
    }

    private func decimal(_ member: Member) -> DecimalValue? {
        guard case .decimal(let value) = value(member) else { return nil }
        return value
    }

    private func integer(_ member: Member) -> Int? {
        guard case .integer(let value) = value(member) else { return nil }
        return value
    }

    private func flag(_ member: Member) -> Bool? {
        guard case .flag(let value) = value(member) else { return nil }
        return value
    }

    /// Stores `value` for `member`, or removes the member when `value` is nil.
    private mutating func set(_ value: Value?, for member: Member) {
        // Members are usually set in order, so the common case appends.
        if let value, members.last.map({ $0.member.rawValue < member.rawValue }) ?? true {
            members.append(StoredMember(value: value, member: member))
            return
        }
        let position = members.firstIndex { $0.member.rawValue >= member.rawValue } ?? members.endIndex
        let isStored = position < members.endIndex && members[position].member == member
        switch (value, isStored) {
        case (let value?, true): members[position].value = value
        case (let value?, false): members.insert(StoredMember(value: value, member: member), at: position)
        case (nil, true): members.remove(at: position)
        case (nil, false): break
        }
    }
}
