import Foundation
import StacktopServices

/// Error answers as an operator would want them said: the service's own words (read by
/// `OpenStackErrorText`), then what the status means and what to do, with the request id.
enum RemoteFailure {
    static func error(what: String, response: HTTPResponse) -> BackendError {
        let said = OpenStackErrorText.message(in: response.body, status: response.status).map(clean)
            .flatMap { $0.isEmpty ? nil : $0 }
        let reason: String
        switch response.status {
        case 403 where isQuota(response), 413 where isQuota(response), 429 where isQuota(response):
            // Nova refuses over-quota creates with 403, Cinder with 413: neither is about the role or the rate.
            reason = (said ?? "over quota") + "; free some quota or ask an administrator to raise it"
        case 403:
            reason = (said.map { $0 + ": " } ?? "") + "this is not allowed for your role in this project; "
                + "ask a cloud administrator for a role that allows it"
        case 404:
            reason = (said ?? "it was not found") + "; it may have been deleted, refresh the list and try again"
        case 409:
            reason = (said ?? "it conflicts with the resource's current state")
                + "; the resource is busy or in the wrong state, wait for its current task to finish and try again"
        case 413, 429:
            let limited = said ?? (response.status == 429 ? "too many requests" : "over a limit")
            if let wait = OpenStackClient.retryAfter(response) {
                let seconds = Int(max(wait, 1).rounded(.up))
                reason = limited + "; the cloud is limiting requests, try again in \(seconds) second" + (seconds == 1 ? "" : "s")
            } else {
                reason = limited + "; free some quota or ask an administrator to raise it"
            }
        default:
            reason = said ?? HTTPURLResponseStatusText.text(for: response.status)
        }
        return .remote(what: what, status: response.status, reason: reason, requestID: response.requestID)
    }

    /// Over-quota answers name the quota; rate limits do not.
    static func isQuota(_ response: HTTPResponse) -> Bool {
        OpenStackErrorText.message(in: response.body, status: response.status)?.lowercased().contains("quota") ?? false
    }

    private static func clean(_ text: String) -> String {
        var line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while line.hasSuffix(".") { line.removeLast() }
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}
