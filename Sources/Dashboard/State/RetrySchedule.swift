/// When to try again after refreshes failed in a row: quickly at first (a daemon restart takes a
/// second or two), then doubling, never slower than the normal refresh nor than every 30 seconds
/// unless the refresh itself is slower.
public enum RetrySchedule {
    /// Seconds to wait after `failures` failed refreshes in a row (1 = the first failure).
    public static func delay(afterFailures failures: Int, refreshSeconds: Double) -> Double {
        guard failures > 0 else { return refreshSeconds }
        let ceiling = max(30, refreshSeconds)
        let doubling = pow2(min(failures - 1, 30))
        return min(ceiling, doubling)
    }

    private static func pow2(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 2 }
        return value
    }
}
