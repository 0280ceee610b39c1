import StacktopModel
import StacktopServices

/// The instance details' "Live statistics": sparklines of the last reads where the host measures them,
/// and otherwise a sentence saying why there are none.
enum LiveSection {
    static func lines(_ instance: Instance, track: LiveStatistics.Track?, note: String?,
                      width: Int) -> [DetailsScreen.Line] {
        var lines: [DetailsScreen.Line] = [.blank, .section("Live statistics")]
        guard let track, let rates = instance.rates else {
            // The backend's own sentence when it never has statistics; else why this instance has none yet.
            let why = note ?? (instance.state != .running && instance.state != .paused
                ? "Statistics are read while the instance runs."
                : instance.cpuTimeNanoseconds == nil && instance.usage == nil
                ? "This libvirt driver reports no statistics for the instance."
                : "Rates need two reads: they show after the next refresh.")
            return lines + DetailsScreen.wrap(why, width: max(10, width - 3)).map { .field("", $0) }
        }
        // As many of the latest reads as fit beside the label and a caption.
        let room = max(8, min(LiveStatistics.historyLength, width - DetailsScreen.labelWidth - 18))
        func scaled(_ values: [Double?], to top: Double) -> [Double?] {
            let recent = Array(values.suffix(room))
            return recent.map { value in value.map { top > 0 ? $0 / top : 0 } }
        }
        func peak(_ values: [Double?]) -> Double { values.suffix(room).compactMap { $0 }.max() ?? 0 }
        func rate(_ value: Double?) -> String { value.map { FieldValue.rate($0).display(now: .distantPast) } ?? "-" }
        func sum(_ a: Double?, _ b: Double?) -> Double? { a.map { $0 + (b ?? 0) } ?? b }
        let memoryTop = Double(instance.memoryMiB) * 1024
        lines.append(.graph("CPU", scaled(track.cpuPercent, to: 100),
                            rates.cpuPercent.map { FieldValue.percent($0).display(now: .distantPast) } ?? "-"))
        lines.append(.graph("Memory in use", scaled(track.memoryUsedKiB, to: max(memoryTop, peak(track.memoryUsedKiB))),
                            rates.memoryUsedKiB.map { Format.mebibytes(Int($0 / 1024)) + " of " + Format.mebibytes(instance.memoryMiB) } ?? "-"))
        lines.append(.graph("Disk read+write", scaled(track.diskRate, to: peak(track.diskRate)),
                            rate(rates.diskReadRate) + " read, " + rate(rates.diskWriteRate) + " write"))
        lines.append(.graph("Network rx+tx", scaled(track.networkRate, to: peak(track.networkRate)),
                            rate(rates.networkReceiveRate) + " in, " + rate(rates.networkSendRate) + " out"))
        return lines
    }
}
