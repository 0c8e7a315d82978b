import BinanceAPI
import Foundation

/// One spot symbol's trading rules, read from the recorded exchangeInfo.
struct SymbolRules: Sendable {
    struct Range: Sendable {
        var min: Decimal
        var max: Decimal
        var step: Decimal
    }

    struct Notional: Sendable {
        var min: Decimal
        var applyMinToMarket: Bool
        var max: Decimal?
        var applyMaxToMarket: Bool
        var avgPriceMins: Int
    }

    struct PercentPriceBySide: Sendable {
        var bidUp: Decimal
        var bidDown: Decimal
        var askUp: Decimal
        var askDown: Decimal
        var avgPriceMins: Int
    }

    struct PercentPrice: Sendable {
        var up: Decimal
        var down: Decimal
        var avgPriceMins: Int
    }

    /// TRAILING_DELTA bounds in basis points. "Above" applies to orders that trigger on a rise (STOP_LOSS BUY,
    /// TAKE_PROFIT SELL and their LIMIT forms), "below" to those that trigger on a fall.
    struct TrailingDelta: Sendable {
        var minAbove: Int64
        var maxAbove: Int64
        var minBelow: Int64
        var maxBelow: Int64
    }

    var symbol: String
    var status: String
    var baseAsset: String
    var quoteAsset: String
    var baseAssetPrecision: Int
    var quoteAssetPrecision: Int
    var orderTypes: [String]
    var quoteOrderQtyMarketAllowed: Bool
    var isSpotTradingAllowed: Bool
    var price: Range?
    var lotSize: Range?
    var marketLotSize: Range?
    /// Legacy MIN_NOTIONAL filter: minimum, whether it applies to MARKET orders, averaging minutes.
    var minNotional: Notional?
    var notional: Notional?
    var percentPriceBySide: PercentPriceBySide?
    var percentPrice: PercentPrice?
    var maxNumOrders: Int?
    var maxNumAlgoOrders: Int?
    var icebergParts: Int?
    var trailingDelta: TrailingDelta?
    var isIcebergAllowed = true
    var isTrailingStopAllowed = true
    /// STP modes the symbol accepts; nil when exchangeInfo lists none, which accepts every mode.
    var allowedSelfTradePreventionModes: [String]?
    /// The STP mode of orders that name none.
    var defaultSelfTradePreventionMode = "NONE"
    /// `tickSize` and `stepSize` in units of 10^-8.
    var tickUnits: Int64 = 1
    var stepUnits: Int64 = 1

    /// Smallest price increment; falls back to 10^-8 when PRICE_FILTER disables the tick check.
    var tickSize: Decimal {
        if let step = price?.step, step > 0 { return step }
        return Decimal(sign: .plus, exponent: -8, significand: 1)
    }

    /// Smallest quantity increment; falls back to 10^-8 when LOT_SIZE has no step.
    var stepSize: Decimal {
        if let step = lotSize?.step, step > 0 { return step }
        return Decimal(sign: .plus, exponent: -8, significand: 1)
    }

    var priceScale: Int { max(DecimalText.scale(of: tickSize), 2) }
    var quantityScale: Int { DecimalText.scale(of: stepSize) }
}

/// The recorded exchangeInfo, parsed lazily once per process, with the serialized symbol objects kept as bytes
/// so exchangeInfo responses reuse them without re-encoding.
final class SymbolCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private let base: SymbolCatalog?
    private let source: @Sendable () -> Data
    private let extraSymbols: [Data]
    private var loaded: Loaded?

    struct Loaded {
        var order: [String]
        /// Rules by symbol, read from `rawSymbol` on first use. The table is a reference, so a catalogue that
        /// adds symbols to its base's contents copies it first.
        var rules: SymbolRulesTable
        /// Each symbol's object as the source lists it. The values are slices of the source `Data`, which share
        /// its storage, so keeping them copies nothing.
        var rawSymbol: [String: Data]
        var exchangeFiltersBytes: [UInt8]

        /// Contents of `"symbols":[…]` for the whole catalogue: the objects joined with commas.
        var allSymbolsBytes: [UInt8] {
            var all = [UInt8]()
            appendAllSymbols(to: &all)
            return all
        }

        /// Appends the objects of every symbol, joined with commas, to `bytes`.
        func appendAllSymbols(to bytes: inout [UInt8]) {
            for (index, symbol) in order.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if let object = rawSymbol[symbol] { bytes.append(contentsOf: object) }
            }
        }
    }

    /// The catalogue of the bundled `exchangeInfo.json`, shared by every exchange in the process.
    static let bundled = SymbolCatalog(source: { SymbolCatalog.bundledData() }, extraSymbols: [])

    /// Returns the bundled catalogue, or a copy of it with `extraSymbols` (exchangeInfo symbol objects) added or replaced.
    static func make(extraSymbols: [String]) -> SymbolCatalog {
        guard !extraSymbols.isEmpty else { return bundled }
        return SymbolCatalog(base: bundled, extraSymbols: extraSymbols.map { Data($0.utf8) })
    }

    init(source: @escaping @Sendable () -> Data, extraSymbols: [Data]) {
        base = nil
        self.source = source
        self.extraSymbols = extraSymbols
    }

    private init(base: SymbolCatalog, extraSymbols: [Data]) {
        self.base = base
        source = { Data() }
        self.extraSymbols = extraSymbols
    }

    /// Reads the bundled `exchangeInfo.json`, mapped into memory: the pages come from the page cache instead of
    /// being copied into 3.6 MB of new memory at every start.
    static func bundledData() -> Data {
        guard let url = Bundle.module.url(forResource: "exchangeInfo", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "exchangeInfo", withExtension: "json"),
            let data = try? Data(contentsOf: url, options: .alwaysMapped)
        else { return Data(#"{"timezone":"UTC","serverTime":0,"rateLimits":[],"exchangeFilters":[],"symbols":[]}"#.utf8) }
        return data
    }

    var contents: Loaded {
        if let base {
            let baseContents = base.contents
            return lock.withLock {
                if let loaded { return loaded }
                var parsed = baseContents
                parsed.rules = parsed.rules.copy()
                Self.add(extraSymbols, to: &parsed)
                loaded = parsed
                return parsed
            }
        }
        return lock.withLock {
            if let loaded { return loaded }
            let parsed = Self.parse(source(), extra: extraSymbols)
            loaded = parsed
            return parsed
        }
    }

    /// Starts parsing the catalogue on a background thread unless it is parsed already. A `contents` call
    /// waits under the lock for the parse under way.
    func preload() {
        guard lock.withLock({ loaded == nil }) else { return }
        Thread.detachNewThread { [self] in _ = contents }
    }

    func rules(_ symbol: String) -> SymbolRules? { contents.rules[symbol] }

    var symbols: [String] { contents.order }

    private static func parse(_ data: Data, extra: [Data]) -> Loaded {
        if var listed = list(data) {
            add(extra, to: &listed)
            return listed
        }
        var result = readEveryRule(data)
        add(extra, to: &result)
        return result
    }

    /// Lists the symbols of an exchangeInfo body with the byte range of each object and leaves their rules
    /// unread, which takes a byte scan instead of reading every filter of every symbol at start.
    /// - Returns: nil when a symbol's name is missing or escaped; the caller then reads every rule at once.
    private static func list(_ data: Data) -> Loaded? {
        var result = Loaded(order: [], rules: SymbolRulesTable(), rawSymbol: [:], exchangeFiltersBytes: Array("[]".utf8))
        let start = data.startIndex
        var unread: [String: Data] = [:]
        let isListed = data.withUnsafeBytes { bytes -> Bool in
            if let range = JSONScanner.valueRange(ofKey: "exchangeFilters", in: bytes) {
                result.exchangeFiltersBytes = Array(bytes[range])
            }
            guard let symbolsStart = JSONScanner.valueStart(ofKey: "symbols", in: bytes),
                let elements = JSONScanner.objectElements(ofArrayAt: symbolsStart, in: bytes)
            else { return false }
            result.order.reserveCapacity(elements.count)
            result.rawSymbol.reserveCapacity(elements.count)
            unread.reserveCapacity(elements.count)
            for element in elements {
                let object = UnsafeRawBufferPointer(rebasing: bytes[element])
                guard object.first == UInt8(ascii: "{"), let name = Self.symbolName(in: object) else { return false }
                let slice = data[(start + element.lowerBound)..<(start + element.upperBound)]
                result.order.append(name)
                result.rawSymbol[name] = slice
                unread[name] = slice
            }
            return true
        }
        guard isListed else { return nil }
        result.rules = SymbolRulesTable(unread: unread)
        return result
    }

    /// Returns the `symbol` member of one symbol object, or nil when it is missing, not a string or escaped.
    private static func symbolName(in object: UnsafeRawBufferPointer) -> String? {
        guard let range = JSONScanner.valueRange(ofKey: "symbol", in: object), range.count >= 2,
            object[range.lowerBound] == UInt8(ascii: "\""), object[range.upperBound - 1] == UInt8(ascii: "\"")
        else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: object[(range.lowerBound + 1)..<(range.upperBound - 1)])
        guard !text.isEmpty, !text.contains(UInt8(ascii: "\\")) else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads the rules of every symbol at once, for a body whose symbols `list` cannot name.
    private static func readEveryRule(_ data: Data) -> Loaded {
        var result = Loaded(order: [], rules: SymbolRulesTable(), rawSymbol: [:], exchangeFiltersBytes: Array("[]".utf8))
        let start = data.startIndex
        data.withUnsafeBytes { bytes in
            if let range = JSONScanner.valueRange(ofKey: "exchangeFilters", in: bytes) {
                result.exchangeFiltersBytes = Array(bytes[range])
            }
        }
        // The client's exchangeInfo reader gives each symbol's byte range too, so the symbols array is not
        // scanned again. A body it does not accept takes the dictionary path.
        var read: [(rules: SymbolRules, range: Range<Int>)] = []
        read.reserveCapacity(4096)
        if ExchangeInfo.readTradingRulesWithRanges(from: data, { read.append((SymbolRules(info: $0), $1)) }) != nil {
            for (rules, range) in read {
                result.order.append(rules.symbol)
                result.rules[rules.symbol] = rules
                result.rawSymbol[rules.symbol] = data[(start + range.lowerBound)..<(start + range.upperBound)]
            }
            return result
        }
        var objects = [Data]()
        data.withUnsafeBytes { bytes in
            if let range = JSONScanner.valueRange(ofKey: "symbols", in: bytes) {
                objects = JSONScanner.arrayElements(bytes, in: range).map {
                    data[(start + $0.lowerBound)..<(start + $0.upperBound)]
                }
            }
        }
        let decoded = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let dictionaries = decoded?["symbols"] as? [[String: Any]] ?? []
        if dictionaries.count == objects.count {
            for (dictionary, object) in zip(dictionaries, objects) {
                guard let rules = SymbolRules(dictionary: dictionary) else { continue }
                result.order.append(rules.symbol)
                result.rules[rules.symbol] = rules
                result.rawSymbol[rules.symbol] = object
            }
        }
        return result
    }

    private static func add(_ objects: [Data], to loaded: inout Loaded) {
        for object in objects {
            guard let dictionary = (try? JSONSerialization.jsonObject(with: object)) as? [String: Any],
                  let rules = SymbolRules(dictionary: dictionary)
            else { continue }
            if loaded.rules[rules.symbol] == nil { loaded.order.append(rules.symbol) }
            loaded.rules[rules.symbol] = rules
            loaded.rawSymbol[rules.symbol] = object
        }
    }
}

/// Trading rules by symbol. A symbol listed unread gets its rules read from its exchangeInfo object the first
/// time it is looked up, so a request reads only the symbols it names.
final class SymbolRulesTable: @unchecked Sendable {
    // The lock protects `read` and `unread`, which a lookup on any request thread moves symbols between.
    private let lock = NSLock()
    private var read: [String: SymbolRules]
    /// Objects whose rules have not been read yet.
    private var unread: [String: Data]

    init(read: [String: SymbolRules] = [:], unread: [String: Data] = [:]) {
        self.read = read
        self.unread = unread
    }

    /// Returns an independent table with the same contents.
    func copy() -> SymbolRulesTable {
        lock.withLock { SymbolRulesTable(read: read, unread: unread) }
    }

    /// The rules of `symbol`, read on first use; nil for an unknown symbol or an object without valid rules.
    subscript(symbol: String) -> SymbolRules? {
        get {
            lock.withLock {
                if let rules = read[symbol] { return rules }
                guard let object = unread.removeValue(forKey: symbol) else { return nil }
                let rules = Self.rules(of: object)
                read[symbol] = rules
                return rules
            }
        }
        set {
            lock.withLock {
                unread[symbol] = nil
                read[symbol] = newValue
            }
        }
    }

    /// The rules of every symbol, reading those not read yet.
    var values: [SymbolRules] {
        lock.withLock {
            for (symbol, object) in unread {
                read[symbol] = Self.rules(of: object)
            }
            unread = [:]
            return Array(read.values)
        }
    }

    /// Reads one symbol object with the client's exchangeInfo reader, inside the smallest document it accepts,
    /// and with the dictionary reader when that fails.
    static func rules(of object: Data) -> SymbolRules? {
        var document = Data(#"{"timezone":"UTC","serverTime":0,"rateLimits":[],"exchangeFilters":[],"symbols":["#.utf8)
        document.append(object)
        document.append(contentsOf: "]}".utf8)
        var found: SymbolRules?
        if ExchangeInfo.readTradingRules(from: document, { found = SymbolRules(info: $0) }) != nil, let found {
            return found
        }
        guard let dictionary = (try? JSONSerialization.jsonObject(with: object)) as? [String: Any] else { return nil }
        return SymbolRules(dictionary: dictionary)
    }
}

extension SymbolRules {
    /// Takes the fields the simulator enforces from a symbol the client's exchangeInfo reader decoded, with the
    /// same defaults as `init?(dictionary:)` for the optional members. A test compares the two initializers on
    /// every bundled symbol, so a field added to one and not the other fails it.
    init(info: SymbolInfo) {
        self.init(info: SymbolTradingRules(info))
    }

    /// Takes the fields the simulator enforces from the trading rules the client's exchangeInfo reader read.
    init(info: SymbolTradingRules) {
        let filters = info.filters
        self.init(
            symbol: info.symbol,
            status: info.status,
            baseAsset: info.baseAsset,
            quoteAsset: info.quoteAsset,
            baseAssetPrecision: info.baseAssetPrecision,
            quoteAssetPrecision: info.quoteAssetPrecision,
            orderTypes: info.orderTypes,
            quoteOrderQtyMarketAllowed: info.quoteOrderQtyMarketAllowed,
            isSpotTradingAllowed: info.isSpotTradingAllowed
        )
        isIcebergAllowed = info.icebergAllowed ?? true
        isTrailingStopAllowed = info.allowTrailingStop ?? true
        allowedSelfTradePreventionModes = info.allowedSelfTradePreventionModes
        defaultSelfTradePreventionMode = info.defaultSelfTradePreventionMode ?? "NONE"
        if let filter = filters.priceFilter {
            price = .init(min: filter.minPrice.value, max: filter.maxPrice.value, step: filter.tickSize.value)
        }
        if let filter = filters.lotSize {
            lotSize = .init(min: filter.minQty.value, max: filter.maxQty.value, step: filter.stepSize.value)
        }
        if let filter = filters.marketLotSize {
            marketLotSize = .init(min: filter.minQty.value, max: filter.maxQty.value, step: filter.stepSize.value)
        }
        if let filter = filters.minNotional {
            minNotional = .init(
                min: filter.minNotional.value, applyMinToMarket: filter.applyToMarket ?? false,
                max: nil, applyMaxToMarket: false, avgPriceMins: filter.avgPriceMins ?? 0
            )
        }
        if let filter = filters.notional {
            notional = .init(
                min: filter.minNotional.value, applyMinToMarket: filter.applyMinToMarket ?? false,
                max: filter.maxNotional?.value, applyMaxToMarket: filter.applyMaxToMarket ?? false,
                avgPriceMins: filter.avgPriceMins ?? 0
            )
        }
        if let filter = filters.percentPriceBySide {
            percentPriceBySide = .init(
                bidUp: filter.bidMultiplierUp.value, bidDown: filter.bidMultiplierDown.value,
                askUp: filter.askMultiplierUp.value, askDown: filter.askMultiplierDown.value,
                avgPriceMins: filter.avgPriceMins ?? 0
            )
        }
        if let filter = filters.percentPrice {
            percentPrice = .init(
                up: filter.multiplierUp.value, down: filter.multiplierDown.value, avgPriceMins: filter.avgPriceMins ?? 0
            )
        }
        maxNumOrders = filters.maxNumOrders?.maxNumOrders
        maxNumAlgoOrders = filters.maxNumAlgoOrders?.maxNumAlgoOrders
        icebergParts = filters.icebergParts?.limit
        if let filter = filters.trailingDelta {
            trailingDelta = .init(
                minAbove: Int64(filter.minTrailingAboveDelta), maxAbove: Int64(filter.maxTrailingAboveDelta),
                minBelow: Int64(filter.minTrailingBelowDelta), maxBelow: Int64(filter.maxTrailingBelowDelta)
            )
        }
        tickUnits = max(1, Self.units(tickSize))
        stepUnits = max(1, Self.units(stepSize))
    }

    /// Reads the fields the simulator enforces from one exchangeInfo symbol object.
    init?(dictionary: [String: Any]) {
        guard let symbol = dictionary["symbol"] as? String,
              let baseAsset = dictionary["baseAsset"] as? String,
              let quoteAsset = dictionary["quoteAsset"] as? String
        else { return nil }
        self.init(
            symbol: symbol,
            status: dictionary["status"] as? String ?? "TRADING",
            baseAsset: baseAsset,
            quoteAsset: quoteAsset,
            baseAssetPrecision: dictionary["baseAssetPrecision"] as? Int ?? 8,
            quoteAssetPrecision: dictionary["quoteAssetPrecision"] as? Int ?? 8,
            orderTypes: dictionary["orderTypes"] as? [String] ?? ["LIMIT", "MARKET"],
            quoteOrderQtyMarketAllowed: dictionary["quoteOrderQtyMarketAllowed"] as? Bool ?? true,
            isSpotTradingAllowed: dictionary["isSpotTradingAllowed"] as? Bool ?? true
        )
        isIcebergAllowed = dictionary["icebergAllowed"] as? Bool ?? true
        isTrailingStopAllowed = dictionary["allowTrailingStop"] as? Bool ?? true
        allowedSelfTradePreventionModes = dictionary["allowedSelfTradePreventionModes"] as? [String]
        defaultSelfTradePreventionMode = dictionary["defaultSelfTradePreventionMode"] as? String ?? "NONE"
        for filter in dictionary["filters"] as? [[String: Any]] ?? [] {
            func decimal(_ key: String) -> Decimal {
                if let text = filter[key] as? String { return DecimalText.parse(text) ?? 0 }
                if let number = filter[key] as? Int { return Decimal(number) }
                return 0
            }
            func integer(_ key: String) -> Int { filter[key] as? Int ?? 0 }
            func flag(_ key: String) -> Bool { filter[key] as? Bool ?? false }
            switch filter["filterType"] as? String {
            case "PRICE_FILTER":
                price = .init(min: decimal("minPrice"), max: decimal("maxPrice"), step: decimal("tickSize"))
            case "LOT_SIZE":
                lotSize = .init(min: decimal("minQty"), max: decimal("maxQty"), step: decimal("stepSize"))
            case "MARKET_LOT_SIZE":
                marketLotSize = .init(min: decimal("minQty"), max: decimal("maxQty"), step: decimal("stepSize"))
            case "MIN_NOTIONAL":
                minNotional = .init(
                    min: decimal("minNotional"), applyMinToMarket: flag("applyToMarket"),
                    max: nil, applyMaxToMarket: false, avgPriceMins: integer("avgPriceMins")
                )
            case "NOTIONAL":
                notional = .init(
                    min: decimal("minNotional"), applyMinToMarket: flag("applyMinToMarket"),
                    max: filter["maxNotional"] == nil ? nil : decimal("maxNotional"),
                    applyMaxToMarket: flag("applyMaxToMarket"), avgPriceMins: integer("avgPriceMins")
                )
            case "PERCENT_PRICE_BY_SIDE":
                percentPriceBySide = .init(
                    bidUp: decimal("bidMultiplierUp"), bidDown: decimal("bidMultiplierDown"),
                    askUp: decimal("askMultiplierUp"), askDown: decimal("askMultiplierDown"),
                    avgPriceMins: integer("avgPriceMins")
                )
            case "PERCENT_PRICE":
                percentPrice = .init(
                    up: decimal("multiplierUp"), down: decimal("multiplierDown"), avgPriceMins: integer("avgPriceMins")
                )
            case "MAX_NUM_ORDERS": maxNumOrders = integer("maxNumOrders")
            case "MAX_NUM_ALGO_ORDERS": maxNumAlgoOrders = integer("maxNumAlgoOrders")
            case "ICEBERG_PARTS": icebergParts = integer("limit")
            case "TRAILING_DELTA":
                trailingDelta = .init(
                    minAbove: Int64(integer("minTrailingAboveDelta")), maxAbove: Int64(integer("maxTrailingAboveDelta")),
                    minBelow: Int64(integer("minTrailingBelowDelta")), maxBelow: Int64(integer("maxTrailingBelowDelta"))
                )
            default: break
            }
        }
        tickUnits = max(1, Self.units(tickSize))
        stepUnits = max(1, Self.units(stepSize))
    }

    /// `value` in units of 10^-8, the finest precision Binance uses.
    static func units(_ value: Decimal) -> Int64 {
        NSDecimalNumber(decimal: value * 100_000_000).int64Value
    }
}

/// Finds byte ranges in JSON text without building objects, so cached bodies reuse the recorded bytes.
enum JSONScanner {
    /// Range of the value of the first top-level `"key":` in the outermost object.
    static func valueRange<Bytes: RandomAccessCollection<UInt8>>(ofKey key: String, in bytes: Bytes) -> Range<Int>?
    where Bytes.Index == Int {
        guard let start = valueStart(ofKey: key, in: bytes) else { return nil }
        return start..<endOfValue(bytes, from: start)
    }

    /// Offset of the value of the first top-level `"key":` in the outermost object, found without scanning the
    /// value itself.
    static func valueStart<Bytes: RandomAccessCollection<UInt8>>(ofKey key: String, in bytes: Bytes) -> Int?
    where Bytes.Index == Int {
        let needle = Array("\"\(key)\"".utf8)
        var index = 0
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if depth == 1, bytes[index...].starts(with: needle) {
                    var cursor = index + needle.count
                    while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == 10 || bytes[cursor] == 13 || bytes[cursor] == 9 { cursor += 1 }
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") {
                        cursor += 1
                        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == 10 || bytes[cursor] == 13 || bytes[cursor] == 9 { cursor += 1 }
                        return cursor
                    }
                }
                index = endOfString(bytes, from: index)
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
            index += 1
        }
        return nil
    }

    /// Ranges of the elements of the array that opens at `start`, found in one pass over its text. Returns nil
    /// unless every element is an object and the array is closed.
    static func objectElements(ofArrayAt start: Int, in bytes: UnsafeRawBufferPointer) -> [Range<Int>]? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        var elements: [Range<Int>] = []
        elements.reserveCapacity(4096)
        var index = start + 1
        // Depth of brackets inside the current element; 0 between elements.
        var depth = 0
        var elementStart = 0
        while index < bytes.count {
            let byte = bytes[index]
            if depth == 0 {
                switch byte {
                case UInt8(ascii: "{"):
                    elementStart = index
                    depth = 1
                case UInt8(ascii: "]"):
                    return elements
                case UInt8(ascii: ","), UInt8(ascii: " "), 10, 13, 9:
                    break
                default:
                    return nil
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count {
                    let character = bytes[index]
                    if character == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if character == UInt8(ascii: "\"") { break }
                    index += 1
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { elements.append(elementStart..<(index + 1)) }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Ranges of the elements of the array whose text occupies `range`.
    static func arrayElements<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, in range: Range<Int>) -> [Range<Int>]
    where Bytes.Index == Int {
        var result = [Range<Int>]()
        var index = range.lowerBound + 1
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "]") { break }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") || byte == 10 || byte == 13 || byte == 9 {
                index += 1
                continue
            }
            let end = endOfValue(bytes, from: index)
            result.append(index..<end)
            index = end
        }
        return result
    }

    private static func endOfString<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from start: Int) -> Int
    where Bytes.Index == Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { return index + 1 }
            index += 1
        }
        return bytes.count
    }

    private static func endOfValue<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from start: Int) -> Int
    where Bytes.Index == Int {
        guard start < bytes.count else { return start }
        let first = bytes[start]
        if first == UInt8(ascii: "\"") { return endOfString(bytes, from: start) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            var depth = 0
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index = endOfString(bytes, from: index)
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return index + 1 }
                }
                index += 1
            }
            return bytes.count
        }
        var index = start
        while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) {
            index += 1
        }
        return index
    }
}
