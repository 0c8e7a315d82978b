import Foundation

// libFuzzer entry for the MCP line decoder, compiled by Scripts/fuzz with JSONValue and the decoder's sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let line = Data(UnsafeBufferPointer(start: data, count: size))
    if case .message(let value) = FrameDecoder.decode(line) {
        // Whatever parses must serialize to JSON that parses to the same value.
        let text = value.serialized()
        guard let again = try? JSONValue.parse(Data(text.utf8)), again == value else { fatalError("round trip changed the value") }
    }
    return 0
}
