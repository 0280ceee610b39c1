import StacktopServices
/// Everything the command line can say, parsed once. Global options come before a subcommand;
/// after `KIND list`, `-c` means a column (as in the `openstack` CLI), so use `--connect` there.
struct Options: Equatable {
    enum Mode: Equatable {
        case dashboard
        case list(kind: String, format: OutputFormat, columns: [String])
        /// `KIND show NAME [-f FORMAT]`: one item's fields.
        case show(kind: String, name: String, format: OutputFormat)
        case render(view: String, size: String, format: String, output: String?)
        case bench(BenchSettings)
        /// `KIND ACTION NAME… [--option value] [--yes]`, parsed by the grammar the dashboard's `:` shares.
        case action(ActionCommand)
        /// `console INSTANCE [--force] [--escape CHAR]` and `vnc INSTANCE [--show-password]`.
        case console(instance: String, force: Bool, escape: UInt8)
        case vnc(instance: String, showPassword: Bool)
        case help
        /// `KIND ACTION --help`: the action's options, from `ActionSchema`.
        case actionHelp(String)
        case version
    }

    enum OutputFormat: String, Equatable { case table, json, csv, value }

    var mode: Mode = .dashboard
    var demo = false
    /// `--reset` (with `--demo`): delete the demo's saved changes and start it afresh.
    var resetDemo = false
    var connect: String?
    var osCloud: String?
    /// `--context NAME`: a host from stacktop's config.yaml or a cloud from clouds.yaml (ContextCatalog).
    var context: String?
    /// `--fleet [A,B,…]`: every context at once (nil: one context); an empty list means all of them.
    var fleet: [String]?
    /// Set for a fleet's contexts: an ssh host must fail rather than ask for a password on the fleet's screen.
    var promptless = false
    var readOnly = false
    var theme: String?
    var refreshSeconds = 2.0
    var statePath: String?
    /// `--timeout S`: seconds one cloud request may take end to end (clouds.yaml's api_timeout otherwise).
    var requestTimeout: Double?
    /// The key that leaves a serial console opened from the dashboard (default Ctrl-]).
    var consoleEscape: UInt8 = 0x1d
    var ascii = false
    var noColor = false
    /// `--no-mouse`: the dashboard leaves the terminal's mouse reporting off (the wall never turns it on).
    var noMouse = false
    /// `--wall`: the unattended wall screen. Implies read-only, which nothing inside can turn off.
    var wall = false
    /// Seconds between panels on the wall (nil: no rotation).
    var rotateSeconds: Double?
    /// The panels the wall shows, in order (default: the wall overview alone).
    var wallPanels: [String] = []
    /// Hides the clock and the "updated N s ago" counter, so an idle wall writes nothing at all.
    var hideClock = false
    /// On the wall, `q` asks before quitting (a stray key on a shared keyboard should not end it).
    var confirmQuit = false
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

enum OptionParser {
    static func parse(_ arguments: [String]) throws -> Options {
        let options = try parseWords(arguments)
        if options.resetDemo, !options.demo, options.mode != .help, options.mode != .version {
            throw UsageError(description: "--reset starts the demo cloud afresh; use it with --demo (stacktop --demo --reset).")
        }
        if options.context != nil, options.demo || options.connect != nil || options.osCloud != nil {
            throw UsageError(description: "--context names where to connect, so it goes without --connect, --os-cloud "
                             + "and --demo; drop one or the other.")
        }
        if options.fleet != nil, options.context != nil || options.demo || options.connect != nil || options.osCloud != nil {
            throw UsageError(description: "--fleet opens the contexts of config.yaml and clouds.yaml, so it goes without "
                             + "--context, --connect, --os-cloud and --demo; name the ones you want as --fleet A,B.")
        }
        if options.fleet != nil, options.mode != .dashboard {
            throw UsageError(description: "--fleet is for the dashboard and the wall; a command acts on one context "
                             + "(--context NAME).")
        }
        if options.resetDemo, options.readOnly {
            throw UsageError(description: "--reset deletes the demo's saved changes, which --readonly and --wall never do; "
                             + "run stacktop --demo --reset without them first.")
        }
        return options
    }

    private static func parseWords(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(for flag: String) throws -> String {
            guard let next = rest.popFirst(), !next.hasPrefix("-") || next.count == 1 else {
                throw UsageError(description: "\(flag) needs a value; see stacktop --help.")
            }
            return next
        }
        while let word = rest.first {
            if !word.hasPrefix("-") { break }
            rest.removeFirst()
            let option = OptionWord(word)
            func take() throws -> String { try option.inline ?? value(for: option.flag) }
            switch option.flag {
            case "--demo": options.demo = try option.switchedOn()
            case "--reset": options.resetDemo = try option.switchedOn()
            case "-c", "--connect": options.connect = try take()
            case "--os-cloud": options.osCloud = try take()
            case "--context": options.context = try take()
            case "--fleet":
                // The list is optional: `--fleet` alone opens every context. A command word after it
                // (`--fleet server list`) is the command, so the refusal below names --fleet, not "list".
                let list = option.inline ?? (rest.first.map(isFleetList) == true ? rest.popFirst() : nil)
                options.fleet = (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            case "--readonly", "--read-only": options.readOnly = try option.switchedOn()
            case "--theme": options.theme = try take()
            case "--refresh":
                let text = try take()
                guard let seconds = Double(text), seconds >= 0.2, seconds <= 3600 else {
                    throw UsageError(description: "--refresh takes seconds between 0.2 and 3600, not \"\(text)\".")
                }
                options.refreshSeconds = seconds
            case "--state": options.statePath = try take()
            case "--timeout": options.requestTimeout = try parseTimeout(try take())
            case "--escape":
                let text = try take()
                guard let byte = ConsolePump.escapeByte(text) else {
                    throw UsageError(description: "--escape takes one character or ^X (e.g. ^] or ^O), not \"\(text)\".")
                }
                options.consoleEscape = byte
            case "--wall": options.wall = try option.switchedOn(); options.readOnly = true
            case "--rotate":
                let text = try take()
                guard let seconds = Double(text), seconds >= 1, seconds <= 86400 else {
                    throw UsageError(description: "--rotate takes seconds between 1 and 86400, not \"\(text)\".")
                }
                options.rotateSeconds = seconds
            case "--panels":
                options.wallPanels = try take().split(separator: ",").map { String($0.filter { $0 != " " }) }
            case "--no-clock": options.hideClock = try option.switchedOn()
            case "--confirm-quit": options.confirmQuit = try option.switchedOn()
            case "--ascii": options.ascii = try option.switchedOn()
            case "--no-color", "--no-colour": options.noColor = try option.switchedOn()
            case "--no-mouse": options.noMouse = try option.switchedOn()
            case "-h", "--help": options.mode = .help; return options
            case "-V", "--version": options.mode = .version; return options
            default: throw UsageError(description: "Unknown option \(option.flag); see stacktop --help.")
            }
        }
        guard let command = rest.popFirst() else { return options }
        switch command {
        case "render": options.mode = try parseRender(&rest)
        case "bench": options.mode = try parseBench(&rest)
        case "console", "vnc": options.mode = try ConsoleOptions.parse(command, Array(rest), options: &options)
        case "help": options.mode = .help
        default:
            guard let action = rest.popFirst() else {
                throw UsageError(description: "\"\(command)\" needs an action, for example `stacktop \(command) list`.")
            }
            if action == "show" {
                guard let name = rest.first, !name.hasPrefix("-") else {
                    throw UsageError(description: "`\(command) show` needs a name or ID, for example `stacktop \(command) show web-01`.")
                }
                rest.removeFirst()
                guard case .list(_, let format, let columns) = try parseList(kind: command, &rest, options: &options),
                      columns.isEmpty else {
                    throw UsageError(description: "`\(command) show` takes -f FORMAT, not -c: it shows every field.")
                }
                options.mode = .show(kind: command, name: name, format: format)
                return options
            }
            guard action == "list" else {
                options.mode = try parseAction(words: [command, action] + Array(rest), options: &options)
                return options
            }
            options.mode = try parseList(kind: command, &rest, options: &options)
        }
        return options
    }

    /// Whether the word after a bare `--fleet` is its list of contexts rather than an option or a command.
    private static func isFleetList(_ word: String) -> Bool {
        !word.hasPrefix("-") && !["render", "bench", "console", "vnc", "help"].contains(word)
            && ResourceKind.named(word) == nil
    }

    private static func parseTimeout(_ text: String) throws -> Double {
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 3600 else {
            throw UsageError(description: "--timeout takes seconds between 0 and 3600, not \"\(text)\".")
        }
        return seconds
    }

    private static func parseList(kind: String, _ rest: inout ArraySlice<String>, options: inout Options) throws -> Options.Mode {
        var format = Options.OutputFormat.table
        var columns: [String] = []
        while let option = rest.popOption() {
            func take() throws -> String { try rest.value(of: option) }
            switch option.flag {
            case "-f", "--format":
                let text = try take()
                guard let parsed = Options.OutputFormat(rawValue: text) else {
                    throw UsageError(description: "Unknown format \"\(text)\"; use table, json, csv or value.")
                }
                format = parsed
            case "-c", "--column": columns.append(try take())
            case "--connect": options.connect = try take()
            case "--demo": options.demo = try option.switchedOn()
            case "--reset": options.resetDemo = try option.switchedOn()
            case "--state": options.statePath = try take()
            case "--readonly": options.readOnly = try option.switchedOn()
            case "--os-cloud": options.osCloud = try take()
            case "--context": options.context = try take()
            case "--timeout": options.requestTimeout = try parseTimeout(try take())
            default: throw UsageError(description: "Unknown option \(option.flag) for `\(kind) list`; use -f FORMAT and -c COLUMN.")
            }
        }
        return .list(kind: kind, format: format, columns: columns)
    }

    /// Global options may also follow the action (`stacktop server stop web-01 --connect URI`); they are
    /// taken out here and the rest goes to the shared grammar.
    private static func parseAction(words: [String], options: inout Options) throws -> Options.Mode {
        var remaining: [String] = []
        var rest = words[...]
        while let option = rest.popOption() {
            // After `--` every word is a name, even one spelled like an option.
            if option.word == "--" {
                remaining += [option.word] + rest
                break
            }
            func take() throws -> String { try rest.value(of: option) }
            switch option.flag {
            case "--connect": options.connect = try take()
            case "--os-cloud": options.osCloud = try take()
            case "--context": options.context = try take()
            case "--demo": options.demo = try option.switchedOn()
            case "--reset": options.resetDemo = try option.switchedOn()
            case "--state": options.statePath = try take()
            case "--readonly", "--read-only": options.readOnly = try option.switchedOn()
            case "--timeout": options.requestTimeout = try parseTimeout(try take())
            default: remaining.append(option.word)
            }
        }
        if let help = ActionCommand.helpText(remaining) { return .actionHelp(help) }
        do {
            return .action(try ActionCommand.parse(remaining))
        } catch {
            throw UsageError(description: error.description)
        }
    }

    private static func parseRender(_ rest: inout ArraySlice<String>) throws -> Options.Mode {
        guard let view = rest.popFirst() else {
            throw UsageError(description: "render needs a view, e.g. `stacktop render instances --size 120x40 --format svg -o shot.svg`.")
        }
        var size = "120x40", format = "txt", output: String?
        while let option = rest.popOption() {
            func take() throws -> String { try rest.value(of: option) }
            switch option.flag {
            case "--size": size = try take()
            case "--format", "-f": format = try take()
            case "-o", "--output": output = try take()
            default: throw UsageError(description: "Unknown option \(option.flag) for render; use --size, --format, -o (and --theme before `render`).")
            }
        }
        return .render(view: view, size: size, format: format, output: output)
    }

    private static func parseBench(_ rest: inout ArraySlice<String>) throws -> Options.Mode {
        var settings = BenchSettings()
        var cloudOnly = false
        var sizes: [Int]?, keys: Int?, rounds: Int?
        func count(_ text: String, _ flag: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let n = Int(text), range.contains(n) else {
                throw UsageError(description: "\(flag) takes a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\".")
            }
            return n
        }
        while let option = rest.popOption() {
            func take() throws -> String { try rest.value(of: option, hint: "; see stacktop bench --help") }
            switch option.flag {
            case "--sizes", "--instances":
                let text = try take()
                let parsed = text.split(separator: ",").map { Int($0.filter { $0 != "_" }) }
                guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 100_000 }) else {
                    throw UsageError(description: "--sizes takes domain counts up to 100000, like 1000,10000, not \"\(text)\".")
                }
                sizes = parsed.compactMap { $0 }
            case "--keys": keys = try count(try take(), option.flag, 1...10_000)
            case "--rounds": rounds = try count(try take(), option.flag, 1...50)
            case "--binary": settings.binary = try take()
            case "--quick": settings.quick = try option.switchedOn()
            case "--no-in-process": settings.inProcess = false
            case "--no-outside": settings.outside = false
            case "--cloud": settings.cloud = try take()
            case "--cloud-only": settings.sizes = []; settings.inProcess = false; cloudOnly = true
            case "--fleet": settings.fleetHosts = try count(try take(), option.flag, 1...64)
            case "--fleet-only": settings.sizes = []; settings.inProcess = false; settings.fleetOnly = true
            case "--fleet-latency": settings.fleetLatencyMilliseconds = try count(try take(), option.flag, 1...1000)
            case "--rest-script": settings.restScript = try take()
            case "--cloud-anchor": settings.cloudAnchor = try take()
            case "--cloud-idle": settings.cloudIdleSeconds = Double(try count(try take(), option.flag, 2...3600))
            case "-h", "--help": return .bench(BenchSettings(help: true))
            default:
                throw UsageError(description: "Unknown option \(option.flag) for bench; see stacktop bench --help.")
            }
        }
        if settings.quick {
            settings.sizes = [1000]
            settings.keys = 50
            settings.rounds = 2
            settings.idleSeconds = 3
            settings.inProcess = false
        }
        if let sizes { settings.sizes = sizes }
        if cloudOnly { settings.sizes = []; settings.inProcess = false }

        if let keys { settings.keys = keys }
        if let rounds { settings.rounds = rounds }
        return .bench(settings)
    }

    static let usage = """
    stacktop: the OpenStack dashboard as a terminal program, for a libvirt host or a cloud.

    Usage:
      stacktop [OPTIONS]                      open the dashboard
      stacktop [OPTIONS] KIND list [-f table|json|csv|value] [-c COLUMN]...
      stacktop [OPTIONS] KIND show NAME [-f table|json]  every field of one item (by name or ID)
      stacktop [OPTIONS] KIND ACTION NAME... [--option VALUE]... [--yes]
                                              e.g. server stop web-01, server reboot web-01 --hard;
                                              destructive actions ask first, --yes skips the question
      stacktop KIND ACTION --help             the options that action takes, e.g. volume create --help
      stacktop [OPTIONS] render VIEW [--size 120x40] [--format txt|ansi|svg] [-o FILE]
      stacktop bench [--sizes 1000,10000] [--keys 200] [--quick] [--binary PATH]
                                              time the dashboard as a user meets it; see stacktop bench --help
      stacktop [OPTIONS] console INSTANCE [--force] [--escape ^]]
                                              attach to the serial console; Ctrl-] (or --escape) detaches
      stacktop [OPTIONS] vnc INSTANCE [--show-password]
                                              open a VNC viewer, or print the ssh -L line to reach the display

    Options:
      --demo                  open the built-in demo cloud; it keeps its changes in the state directory
      --reset                 with --demo: delete the demo's changes and start it afresh
      -c, --connect URI       libvirt URI (qemu:///system, qemu+ssh://host/system, test:///path.xml);
                              default: $LIBVIRT_DEFAULT_URI, else the local libvirt, else the demo
      --os-cloud NAME         an OpenStack cloud from clouds.yaml (./, ~/.config/openstack/, /etc/openstack/);
                              default: $OS_CLOUD, or the OS_* variables of an openrc when OS_AUTH_URL is set
      --context NAME          a host named under hosts: in ~/.config/stacktop/config.yaml, or a clouds.yaml
                              cloud; in the dashboard :ctx lists them and :ctx NAME switches
      --readonly              refuse every change; the status line says READ-ONLY
      --timeout SECONDS       a cloud request's limit, end to end (default: clouds.yaml's api_timeout, else 30);
                              a whole refresh may take twice that before the dashboard marks it STALE
      --wall                  the wall screen: read-only, large, no keyboard chrome; q quits, Space pauses
      --rotate SECONDS        on the wall, show the next of --panels every SECONDS (default 15)
      --panels LIST           on the wall, which panels rotate (default overview), e.g. overview,instances,volumes
      --no-clock              on the wall, no clock or "updated N s ago": an idle wall writes nothing
      --confirm-quit          on the wall, q asks before quitting
      --theme NAME|PATH       default, light, high-contrast, mono, or a theme file
      --refresh SECONDS       how often statistics refresh (default 2)
      --state PATH            the state store (default $XDG_STATE_HOME/stacktop/state.sqlite3)
      --escape ^X             the key that leaves a serial console (default ^], as in virsh console)
      --ascii                 draw lines with ASCII characters
      --no-color              no colours (also when NO_COLOR is set)
      --no-mouse              no mouse reporting (by default clicks pick tabs and rows, the wheel scrolls)
      -h, --help              this help;  -V, --version

    KIND: instance (server), image, volume, network, subnet, port, router, floating-ip, secgroup, secgroup-rule,
          quota, flavor, keypair, project, hypervisor
    ACTION: start, stop, poweroff, reboot, hard-reboot, pause, unpause, suspend, resume, lock, unlock,
            rename --name NEW, delete (what a backend offers: see ? in the dashboard)
    Examples: flavor create m1.custom --vcpus 2 --ram 4096 --disk 20;  flavor delete m1.custom
            server detach-volume web-01 --volume data-01 [--force]  (waits for the guest to let go; --force
              takes it out of the definition only, so it is gone once the guest is shut off)
            server delete web-01  (deletes the disks made for it; keeps volumes attached to it)
    VIEW: overview, instances, images, volumes, networks, secgroups, quotas, flavors, keypairs, projects,
          details (the first instance's details), xml, help, launch (the wizard), confirm (a delete), topology,
          contexts (:ctx), wall (the wall screen after an hour of the demo)

    In the dashboard press ? for every key of the current screen.
    """
}
