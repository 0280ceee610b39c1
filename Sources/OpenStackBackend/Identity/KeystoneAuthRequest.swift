import Foundation

/// Builds the body of `POST /v3/auth/tokens`.
enum KeystoneAuthRequest {
    static func body(for credentials: KeystoneCredentials) throws -> Data {
        var identity: [String: Any]
        switch credentials.method {
        case .password(let user, let password, let userDomain):
            var userJSON = user.json
            userJSON["password"] = password.exposedValue
            if let userDomain { userJSON["domain"] = userDomain.json }
            identity = ["methods": ["password"], "password": ["user": userJSON]]
        case .applicationCredential(let credential, let secret, let user, let userDomain):
            var credentialJSON = credential.json
            credentialJSON["secret"] = secret.exposedValue
            if case .name = credential, let user {
                var userJSON = user.json
                if let userDomain { userJSON["domain"] = userDomain.json }
                credentialJSON["user"] = userJSON
            }
            identity = ["methods": ["application_credential"], "application_credential": credentialJSON]
        case .token(let token):
            identity = ["methods": ["token"], "token": ["id": token.exposedValue]]
        }
        var auth: [String: Any] = ["identity": identity]
        // Keystone rejects a scope on application-credential auth: the credential is already scoped.
        if let scope = credentials.project, !credentials.isApplicationCredential {
            var projectJSON = scope.project.json
            if let domain = scope.domain { projectJSON["domain"] = domain.json }
            auth["scope"] = ["project": projectJSON]
        }
        return try JSONSerialization.data(withJSONObject: ["auth": auth], options: [.sortedKeys])
    }
}
