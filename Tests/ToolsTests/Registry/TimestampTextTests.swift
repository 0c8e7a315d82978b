import Testing
@testable import Tools

struct TimestampTextTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0)),
        ("2000-03-01", Int64(951_868_800_000)),
        ("2024-02-29", Int64(1_709_164_800_000)),
        ("2024-01-31T12:00", Int64(1_706_702_400_000)),
        ("2024-01-31 12:00:00", Int64(1_706_702_400_000)),
        ("2024-01-31T12:00:00.250Z", Int64(1_706_702_400_250)),
        ("2024-01-31T14:00:00+02:00", Int64(1_706_702_400_000)),
        ("2024-01-31T10:30:00-01:30", Int64(1_706_702_400_000)),
    ])
    func parsesISO8601(_ text: String, _ milliseconds: Int64) {
        #expect(TimestampText.parseISO8601(text) == milliseconds)
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-01-32", "2024-1-5", "2024-01-31T24:00", "2024-01-31T12:00:00+2",
                      "2024-01-31Tnoon", "20240131", ""])
    func rejectsMalformedDates(_ text: String) {
        #expect(TimestampText.parseISO8601(text) == nil)
    }
}
