// swift-tools-version:6.0
// Layers, top to bottom. Arrows only point down; SwiftPM enforces it because a target can only
// import what it declares:
//   stacktop (executable: composition, CLI)
//     -> Dashboard (app state, reducer, screens)      -> TerminalUI (cells, widgets, themes)
//     -> NcursesTerminal (the only ncurses importer)   -> TerminalUI
//     -> LocalBackend (libvirt)  -> StacktopStore (SQLite state store) -> StacktopServices -> StacktopModel
//     -> OpenStackBackend (HTTP) -> StacktopStore, YAMLKit (clouds.yaml) -> StacktopServices -> StacktopModel
//                                -> WebSocketClient (serial console; OpenSSL) -> TextSafety
import PackageDescription

let package = Package(
    name: "stacktop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stacktop", targets: ["stacktop"]),
    ],
    dependencies: [],
    targets: [
        // System C libraries, found through pkg-config.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt",
                       providers: [.apt(["libvirt-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        // TLS for wss:// (the OpenStack serial console) and SHA-1 for the websocket handshake.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        // C helpers for what does not import into Swift: ncurses macros, locale, signal-safe restore.
        .target(name: "CTerminalShim", dependencies: ["CNcurses"]),
        // The pseudo-terminal `stacktop bench` runs the dashboard in (posix_openpt, setsid spawn).
        .target(name: "CPseudoTerminal"),

        // Pure Swift layers.
        // The one sanitizer for text from outside, at the bottom so every layer that makes or prints text can use it.
        .target(name: "TextSafety"),
        .target(name: "StacktopModel"),
        .target(name: "StacktopServices", dependencies: ["StacktopModel", "TextSafety"]),
        .target(name: "YAMLKit", dependencies: ["CYAML", "TextSafety"]),
        .target(name: "StacktopStore", dependencies: ["StacktopModel", "StacktopServices", "CSQLite"]),
        .target(name: "LocalBackend",
                dependencies: ["StacktopModel", "StacktopServices", "StacktopStore", "CLibvirt"]),
        // A small RFC 6455 client (ws:// and wss:// over OpenSSL): Nova's serial proxy (DECISIONS.md).
        .target(name: "WebSocketClient", dependencies: ["COpenSSL", "TextSafety"]),
        .target(name: "OpenStackBackend",
                dependencies: ["StacktopModel", "StacktopServices", "StacktopStore", "YAMLKit", "WebSocketClient"]),
        // stacktop's own config.yaml (contexts: libvirt hosts by name), read with YAMLKit.
        .target(name: "StacktopConfig", dependencies: ["StacktopServices", "YAMLKit", "TextSafety"]),
        .target(name: "TerminalUI", dependencies: ["YAMLKit", "TextSafety"]),
        .target(name: "Dashboard",
                dependencies: ["StacktopModel", "StacktopServices", "TerminalUI", "TextSafety"]),
        .target(name: "NcursesTerminal", dependencies: ["TerminalUI", "CTerminalShim"]),
        .executableTarget(name: "stacktop",
                          dependencies: ["TextSafety", "StacktopModel", "StacktopServices", "StacktopConfig", "StacktopStore", "LocalBackend",
                                         "OpenStackBackend", "TerminalUI", "Dashboard", "NcursesTerminal",
                                         "CPseudoTerminal"]),

        // Seeded mutators and the sentence check shared by the fuzz suites (DECISIONS.md, "Fuzzing ships
        // with the tests"); test code only, no product links it.
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport"),
        // Test support, test code only too: child processes (posix_spawn + waitpid), the tmux harness and
        // temporary directories, with no product code, so the end-to-end suites (which drive the built binary
        // alone) can use them; the in-memory backend, audit log, demo cloud and the thrown `BackendError` helper
        // (model and services only, so the dashboard's tests need no libvirt or SQLite); and the temporary state store.
        .target(name: "SystemTestSupport", path: "Tests/SystemTestSupport"),
        .target(name: "StacktopTestSupport", dependencies: ["StacktopModel", "StacktopServices"],
                path: "Tests/StacktopTestSupport"),
        .target(name: "StoreTestSupport", dependencies: ["StacktopStore", "SystemTestSupport"],
                path: "Tests/StoreTestSupport"),
        // A loopback websocket server (plain or TLS) that tests script frame by frame.
        .target(name: "WebSocketTestSupport", dependencies: ["WebSocketClient", "COpenSSL"],
                path: "Tests/WebSocketTestSupport"),

        .testTarget(name: "StacktopModelTests", dependencies: ["StacktopModel"]),
        .testTarget(name: "StacktopConfigTests",
                    dependencies: ["StacktopConfig", "StacktopServices", "OpenStackBackend", "FuzzSupport", "SystemTestSupport"]),
        .testTarget(name: "StacktopServicesTests",
                    dependencies: ["StacktopServices", "StacktopModel", "StacktopTestSupport", "SystemTestSupport"]),
        .testTarget(name: "LocalBackendTests",
                    dependencies: ["LocalBackend", "StacktopStore", "StacktopServices", "StacktopModel", "FuzzSupport",
                                   "StacktopTestSupport", "StoreTestSupport", "SystemTestSupport"]),
        .testTarget(name: "StacktopStoreTests",
                    dependencies: ["StacktopStore", "StacktopServices", "StacktopModel", "FuzzSupport",
                                   "StoreTestSupport", "SystemTestSupport"]),
        .testTarget(name: "OpenStackBackendTests",
                    dependencies: ["OpenStackBackend", "StacktopServices", "StacktopModel", "YAMLKit", "FuzzSupport",
                                   "StacktopTestSupport", "SystemTestSupport", "WebSocketClient", "WebSocketTestSupport"],
                    exclude: ["Samples"]),
        .testTarget(name: "WebSocketClientTests", dependencies: ["WebSocketClient", "WebSocketTestSupport", "FuzzSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "YAMLKit", "TextSafety", "FuzzSupport"]),
        .testTarget(name: "DashboardTests",
                    dependencies: ["Dashboard", "TerminalUI", "TextSafety", "StacktopModel", "StacktopServices",
                                   "StacktopTestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "StacktopCLITests", dependencies: ["stacktop", "Dashboard", "StacktopServices", "StacktopModel",
                                                           "TerminalUI", "StacktopTestSupport"]),
        // Drives the built binary only: no product target, just the process and tmux helpers.
        .testTarget(name: "EndToEndTests", dependencies: ["SystemTestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
