import FoundationEssentials

/// Number and time formatting shared by every table, detail view and CLI output.
public enum Format {
    public static func mebibytes(_ mib: Int) -> String {
        if mib >= 1024 {
            let gib = Double(mib) / 1024
            return gib == gib.rounded() ? "\(Int(gib))G" : oneDecimal(gib) + "G"
        }
        return "\(mib)M"
    }

    /// "220 GiB", "26.8 GiB" (RAM counted in MiB), "512 MiB", "10 KiB" of bytes, or a bare count.
    public static func quantity(_ n: Int, unit: String) -> String {
        switch unit {
        case "": return String(n)
        case "MiB" where abs(n) >= 1024:
            let gib = Double(n) / 1024
            return (gib == gib.rounded() ? String(Int(gib)) : oneDecimal(gib)) + " GiB"
        case "bytes" where n >= 1024: return bytes(UInt64(n)).replacing("K", with: " KiB")
        default: return "\(n) \(unit)"
        }
    }

    public static func bytes(_ bytes: UInt64) -> String {
        let units = ["B", "K", "M", "G", "T", "P"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes)B" }
        return (value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : oneDecimal(value)) + units[unit]
    }

    public static func gibibytes(_ gib: Double) -> String {
        gib == gib.rounded() ? "\(Int(gib))G" : oneDecimal(gib) + "G"
    }

    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// "45s", "12m", "3h", "9d", "2y": the k9s-style age.
    public static func age(of date: Date, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        if seconds < 63_072_000 { return "\(seconds / 86400)d" }
        return "\(seconds / 31_536_000)y"
    }

    /// UTC ISO 8601 without fractions, for exports and detail views.
    public static func iso8601(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970)
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let (y, m, d) = civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }

    /// "23:31:02" in UTC (the status line's clock for stale data).
    /// "UTC+01:00", "UTC-05:30": a time zone's offset as people read it.
    public static func utcOffset(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        let hours = String(minutes / 60), rest = String(minutes % 60)
        return "UTC" + (seconds < 0 ? "-" : "+") + (hours.count < 2 ? "0" : "") + hours + ":" + (rest.count < 2 ? "0" : "") + rest
    }

    public static func clock(_ date: Date) -> String {
        String(iso8601(date).dropFirst(11).prefix(8))
    }

    // Howard Hinnant's days-to-civil algorithm: avoids Foundation's Calendar (ICU) for one date.
    private static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// "0.4 s", "12 min", "3.2 h", "41 d": how long, in the largest sensible unit.
    public static func duration(nanoseconds: UInt64) -> String {
        let seconds = Double(nanoseconds) / 1e9
        if seconds < 60 { return oneDecimal(seconds) + " s" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min" }
        if seconds < 172_800 { return oneDecimal(seconds / 3600) + " h" }
        return "\(Int(seconds / 86400)) d"
    }

    /// "42 s", "3 min 5 s", "2 h 5 min", "3 d 4 h": an age as a wall says it.
    public static func spoken(seconds: Int) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return s % 60 == 0 || s >= 600 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s" }
        if s < 86400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86400) d \(s % 86400 / 3600) h"
    }

    /// "75%".
    public static func percent(_ fraction: Double) -> String {
        // A fraction from outside's numbers (a limit of 1e-300, NaN): shown, never a trap.
        guard fraction.isFinite else { return "-" }
        let percent = (fraction * 100).rounded()
        guard let whole = Int(exactly: percent), abs(whole) <= 1_000_000 else { return fraction > 0 ? ">999999%" : "-" }
        return "\(whole)%"
    }
}
