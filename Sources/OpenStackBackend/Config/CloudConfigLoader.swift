import StacktopServices

/// Whose reading of `OS_*` variables to follow when a cloud is named.
public enum ConfigCompatibility: Sendable, Equatable {
    /// The `openstack` CLI (osc-lib): `OS_*` variables are the defaults of the `--os-*` options, so
    /// they override a named cloud's clouds.yaml values (and flags override them).
    case openstackCLI
    /// openstacksdk's `openstack.connect(cloud=...)`: `OS_*` variables only make the "envvars"
    /// cloud; a named clouds.yaml cloud ignores them.
    case openstackSDK
}

/// Finds and resolves the cloud configuration the way the `openstack` CLI does. Every input is
/// passed in, so tests (and `stacktop --os-cloud`) never depend on the real home directory.
///
/// Precedence, highest first: flags; then (CLI mode) `OS_*` variables; then the cloud's entry in
/// secure.yaml deep-merged over clouds.yaml; then defaults (interface public, identity API 3,
/// TLS verification on, domain "default").
///
/// Followed from openstacksdk `openstack/config/loader.py` (search path, secure.yaml merge,
/// envvars cloud, cloud choice, regions, domain fan-out) and osc-lib `shell.py`,
/// `cli/client_config.py` (OS_* as option defaults, default auth type and domain). Not followed:
/// vendor profiles and clouds-public.yaml, /etc/xdg and macOS/Windows directories, a region's
/// `values:`, password prompting; a malformed file is an error rather than skipped; `--verify`
/// beats `insecure: true` (openstacksdk lets insecure win); a token given only under `auth:` with
/// no auth_type selects token auth (osc-lib would pick password and then fail).
public enum CloudConfigLoader {
    public static func load(cloud: String?, flags: ConfigFlags = ConfigFlags(), environment: [String: String],
                            homeDirectory: String, currentDirectory: String,
                            systemDirectory: String = "/etc/openstack",
                            compatibility: ConfigCompatibility = .openstackCLI) throws -> CloudConfig {
        func candidates(_ base: String, _ overrideVariable: String) -> [String] {
            ConfigFiles.candidates(base: base, override: environment[overrideVariable], environment: environment,
                                   home: homeDirectory, current: currentDirectory, system: systemDirectory)
        }
        let cloudsFile = try ConfigFiles.loadFirst(of: candidates("clouds", "OS_CLIENT_CONFIG_FILE"))
        let secureFile = try ConfigFiles.loadFirst(of: candidates("secure", "OS_CLIENT_SECURE_FILE"))
        let fileClouds = try clouds(in: cloudsFile, secure: secureFile)

        let envvarsName = nonEmpty(environment["OS_CLOUD_NAME"]) ?? "envvars"
        if let clash = fileClouds.first(where: { $0.name == envvarsName }) {
            throw CloudConfigError(
                .nameConflict,
                "\(clash.origin.file ?? "clouds.yaml") defines a cloud named \"\(envvarsName)\", the name reserved "
                    + "for the cloud made from OS_* variables; rename that cloud or set OS_CLOUD_NAME to another name.",
                key: envvarsName, origin: clash.origin)
        }
        let envCloud = EnvironmentCloud.envvarsCloud(environment)

        // openstacksdk: the named cloud, else the envvars cloud, else the only cloud in the file.
        var chosen = nonEmpty(cloud) ?? nonEmpty(environment["OS_CLOUD"])
        if chosen == nil {
            if envCloud != nil { chosen = envvarsName }
            else if fileClouds.count == 1 { chosen = fileClouds[0].name }
        }
        guard let chosen else {
            throw noneChosen(fileClouds: fileClouds, file: cloudsFile?.path ?? secureFile?.path,
                             home: homeDirectory, current: currentDirectory, system: systemDirectory)
        }

        let source: CloudConfigResolver.Source
        let flat: FlatCloud
        if chosen == envvarsName, let envCloud {
            source = .init(name: chosen, phrase: "the cloud made from OS_* variables", origin: nil, isEnvironment: true)
            flat = FlatCloud(environment: envCloud)
        } else if let entry = fileClouds.first(where: { $0.name == chosen }) {
            source = .init(name: chosen, phrase: "cloud \"\(chosen)\" (\(entry.origin.phrase))", origin: entry.origin,
                           isEnvironment: false)
            flat = try FlatCloud(entry: entry.tree, cloudName: chosen)
        } else {
            var names = fileClouds.map(\.name)
            if envCloud != nil { names.append(envvarsName) }
            throw notFound(chosen, names: names, file: cloudsFile?.path ?? secureFile?.path,
                           home: homeDirectory, current: currentDirectory, system: systemDirectory)
        }

        let overlay = compatibility == .openstackCLI ? EnvironmentCloud.cliOverlay(environment) : [:]
        return try CloudConfigResolver(source: source, cloud: flat, overlay: overlay, flags: flags,
                                       home: homeDirectory, current: currentDirectory).resolve()
    }

    /// Every cloud the `openstack` CLI could be pointed at, as contexts: clouds.yaml's (merged with secure.yaml)
    /// in file order, then the one made from OS_* variables when they make one. Nothing is resolved (a cloud
    /// with its password left out is still listed); the auth URL is shown when the files give one.
    public static func contexts(environment: [String: String], homeDirectory: String, currentDirectory: String,
                                systemDirectory: String = "/etc/openstack") throws -> [StacktopContext] {
        func candidates(_ base: String, _ overrideVariable: String) -> [String] {
            ConfigFiles.candidates(base: base, override: environment[overrideVariable], environment: environment,
                                   home: homeDirectory, current: currentDirectory, system: systemDirectory)
        }
        let cloudsFile = try ConfigFiles.loadFirst(of: candidates("clouds", "OS_CLIENT_CONFIG_FILE"))
        let secureFile = try ConfigFiles.loadFirst(of: candidates("secure", "OS_CLIENT_SECURE_FILE"))
        var contexts = try clouds(in: cloudsFile, secure: secureFile).map { cloud in
            var url = ""
            if case .scalar(let value)? = cloud.tree["auth"]?["auth_url"] { url = value.text }
            return StacktopContext(name: cloud.name, kind: .openstack, endpoint: url, file: cloud.origin.file,
                                   line: cloud.origin.line)
        }
        if let env = EnvironmentCloud.envvarsCloud(environment) {
            let name = nonEmpty(environment["OS_CLOUD_NAME"]) ?? "envvars"
            contexts.append(StacktopContext(name: name, kind: .openstack, endpoint: env["auth_url"]?.text ?? ""))
        }
        return contexts
    }

    private struct FileCloud {
        var name: String
        var origin: ConfigOrigin
        var tree: ConfigTree
    }

    /// The `clouds:` entries after merging secure.yaml over clouds.yaml, in file order.
    private static func clouds(in cloudsFile: LoadedConfigFile?, secure: LoadedConfigFile?) throws -> [FileCloud] {
        var document: ConfigTree?
        for file in [cloudsFile, secure].compactMap({ $0 }) {
            guard let tree = file.tree else { continue }
            guard tree.entries != nil else {
                throw CloudConfigError(
                    .malformedFile,
                    "\(file.path) holds \(tree.kindDescription) at the top, not a mapping; it must start with "
                        + "a clouds: key with one entry per cloud.",
                    key: "clouds", origin: tree.origin)
            }
            document = document.map { $0.merged(with: tree) } ?? tree
        }
        guard let clouds = document?["clouds"] else { return [] }
        if case .null = clouds { return [] }
        guard let entries = clouds.entries else {
            throw CloudConfigError(
                .malformedFile,
                "The clouds key on \(clouds.origin.phrase) is \(clouds.kindDescription), not a mapping; "
                    + "list each cloud under it as name: followed by its indented settings.",
                key: "clouds", origin: clouds.origin)
        }
        return try entries.map { name, line, tree in
            let origin = ConfigOrigin.file(path: tree.origin.file ?? "", line: line)
            switch tree {
            case .mapping, .null:
                return FileCloud(name: name, origin: origin, tree: tree)
            default:
                throw CloudConfigError(
                    .malformedFile,
                    "Cloud \"\(name)\" on \(origin.phrase) is \(tree.kindDescription), not a mapping; "
                        + "indent its auth: and other settings under the name.",
                    key: name, origin: origin)
            }
        }
    }

    private static func searched(home: String, current: String, system: String) -> String {
        "\(current), \(ConfigFiles.join(home, ".config/openstack")) or \(system)"
    }

    private static func noneChosen(fileClouds: [FileCloud], file: String?, home: String, current: String,
                                   system: String) -> CloudConfigError {
        guard let file else {
            return CloudConfigError(
                kind: .noConfiguration,
                message: "No OpenStack cloud is configured: there is no clouds.yaml in "
                    + "\(searched(home: home, current: current, system: system)) and no OS_* variables are set; "
                    + "put a clouds.yaml in ~/.config/openstack/ or source an openrc file.")
        }
        if fileClouds.isEmpty {
            return CloudConfigError(
                kind: .noConfiguration,
                message: "No OpenStack cloud is configured: \(file) defines no clouds and no OS_* variables are set; "
                    + "add a cloud under clouds: in that file or source an openrc file.",
                file: file, key: "clouds")
        }
        return CloudConfigError(
            kind: .noCloudSelected,
            message: "\(file) defines several clouds (\(fileClouds.map(\.name).joined(separator: ", "))) and none "
                + "was chosen; pass --os-cloud NAME or set OS_CLOUD.",
            file: file)
    }

    private static func notFound(_ name: String, names: [String], file: String?, home: String, current: String,
                                 system: String) -> CloudConfigError {
        guard let file else {
            return CloudConfigError(
                kind: .cloudNotFound,
                message: "No cloud named \"\(name)\" is configured: there is no clouds.yaml in "
                    + "\(searched(home: home, current: current, system: system)); put one in ~/.config/openstack/ "
                    + "that defines \(name), or unset OS_CLOUD and source an openrc file.",
                key: name)
        }
        let known = names.isEmpty ? "defines no clouds" : "defines only \(names.joined(separator: ", "))"
        return CloudConfigError(
            kind: .cloudNotFound,
            message: "No cloud named \"\(name)\" in \(file), which \(known); check the spelling (names are "
                + "case-sensitive) or add it under clouds:.",
            file: file, key: name)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
