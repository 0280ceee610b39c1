import Glibc
import FoundationEssentials

/// The local time zone's offset from UTC, from the C library (cheaper than Foundation's TimeZone,
/// which loads ICU), read again on every tick so a wall running for days follows daylight saving.
enum LocalTime {
    static func offsetSeconds(at date: Date) -> Int {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return parts.tm_gmtoff
    }
}
