import Foundation

/// Builds the body of `POST /v3/auth/tokens`.
enum KeystoneAuthRequest {
    static func body(for credentials: KeystoneCredentials) throws -> Data {
        var identity: Body.Identity
        switch credentials.method {
        case .password(let user, let password, let userDomain):
            var who = Body.User(user)
            who.password = password.exposedValue
            who.domain = userDomain.map(Body.Reference.init)
            identity = Body.Identity(methods: ["password"], password: Body.Password(user: who))
        case .applicationCredential(let credential, let secret, let user, let userDomain):
            var applicationCredential = Body.ApplicationCredential(credential, secret: secret.exposedValue)
            if case .name = credential, let user {
                var owner = Body.User(user)
                owner.domain = userDomain.map(Body.Reference.init)
                applicationCredential.user = owner
            }
            identity = Body.Identity(methods: ["application_credential"], applicationCredential: applicationCredential)
        case .token(let token):
            identity = Body.Identity(methods: ["token"], token: Body.Token(id: token.exposedValue))
        }
        var auth = Body.Auth(identity: identity)
        // Keystone rejects a scope on application-credential auth: the credential is already scoped.
        if let scope = credentials.project, !credentials.isApplicationCredential {
            var project = Body.Project(scope.project)
            project.domain = scope.domain.map(Body.Reference.init)
            auth.scope = Body.Scope(project: project)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Body(auth: auth))
    }

    /// `{"auth": {"identity": {...}, "scope": {"project": {...}}}}`; what is not given is left out.
    struct Body: Encodable {
        var auth: Auth

        struct Auth: Encodable {
            var identity: Identity
            var scope: Scope?
        }

        struct Identity: Encodable {
            var methods: [String]
            var password: Password?
            var applicationCredential: ApplicationCredential?
            var token: Token?

            enum CodingKeys: String, CodingKey {
                case methods, password, token, applicationCredential = "application_credential"
            }
        }

        struct Password: Encodable { var user: User }
        struct Token: Encodable { var id: String }
        struct Scope: Encodable { var project: Project }

        /// `{"id": "…"}` or `{"name": "…"}`.
        struct Reference: Encodable {
            var id: String?
            var name: String?

            init(_ reference: NameOrID) {
                switch reference {
                case .id(let id): self.id = id
                case .name(let name): self.name = name
                }
            }
        }

        struct User: Encodable {
            var id: String?
            var name: String?
            var password: String?
            var domain: Reference?

            init(_ user: NameOrID) {
                let reference = Reference(user)
                id = reference.id; name = reference.name
            }
        }

        struct ApplicationCredential: Encodable {
            var id: String?
            var name: String?
            var secret: String
            var user: User?

            init(_ credential: NameOrID, secret: String) {
                let reference = Reference(credential)
                id = reference.id; name = reference.name; self.secret = secret
            }
        }

        struct Project: Encodable {
            var id: String?
            var name: String?
            var domain: Reference?

            init(_ project: NameOrID) {
                let reference = Reference(project)
                id = reference.id; name = reference.name
            }
        }
    }
}
