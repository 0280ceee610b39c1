import Foundation

/// The environment of `. openrc && stacktop`: this process's, with every OS_* variable replaced by a
/// password login to `authURL` as `user` in the project of the same name, and a private state directory.
enum OpenRC {
    static func environment(authURL: String, user: String, password: String, stateDirectory: String,
                            region: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("OS_") { environment[key] = nil }
        environment["OS_AUTH_URL"] = authURL
        environment["OS_USERNAME"] = user
        environment["OS_PASSWORD"] = password
        environment["OS_PROJECT_NAME"] = user
        environment["OS_USER_DOMAIN_NAME"] = "Default"
        environment["OS_PROJECT_DOMAIN_NAME"] = "Default"
        if let region { environment["OS_REGION_NAME"] = region }
        environment["XDG_STATE_HOME"] = stateDirectory
        return environment
    }
}
