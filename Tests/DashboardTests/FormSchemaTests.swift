import XCTest
import StacktopModel
import StacktopServices
@testable import Dashboard

/// The forms build `ActionRequest`s directly, not through `ActionCommand.parse`: every one of them must
/// still be a request the schema accepts, so a form and the command line cannot drift apart.
final class FormSchemaTests: XCTestCase {
    func testEveryFormsRequestPassesTheSchema() async throws {
        var demo = try await DemoCloudFixture.open()
        demo.snapshot.networks.append(Network(id: "ext", name: "public", external: true))
        demo.snapshot.floatingIPs = [FloatingIP(id: "fip-1", address: "203.0.113.10", status: "ACTIVE", network: "public")]
        demo.snapshot.routers = [Router(id: "router-1", name: "edge", status: "ACTIVE")]
        let target: [ResourceKind: String] = [
            .instance: demo.snapshot.instances.first?.name ?? "web-01", .volume: demo.snapshot.volumes.first?.name ?? "v",
            .floatingIP: "203.0.113.10", .router: "edge",
        ]
        var forms = 0
        for kind in ResourceKind.allCases {
            for action in ActionKind.allCases {
                let targets = action == .create || action == .upload ? [] : [target[kind] ?? "x"]
                guard var form = ActionForms.form(for: action, kind: kind, targets: targets, snapshot: demo.snapshot,
                                                  project: nil) else { continue }
                forms += 1
                // What a user must fill in, filled in; every other field keeps the form's own default.
                for index in form.fields.indices where form.fields[index].required && form.fields[index].optionValue == nil {
                    let option = try XCTUnwrap(ActionSchema.option(form.fields[index].option.word, for: kind, action))
                    form.fields[index].value = .text(Self.sample(option.value))
                }
                let request = try form.completedRequest().get()
                for field in form.fields where field.option != .name || action != .create {
                    XCTAssertTrue(ActionSchema.declares(field.option, for: kind, action),
                                    "\(kind.rawValue) \(action.word): the form's \(field.option) is not in the schema")
                }
                XCTAssertNil(ActionSchema.problem(with: request), "\(kind.rawValue) \(action.word): \(request.options)")
            }
        }
        XCTAssertGreaterThan(forms, 20)
    }

    /// A value of each kind the schema takes, as a user would type it.
    private static func sample(_ value: ActionOption.Value) -> String {
        switch value {
        case .integer(let range): String(max(range.lowerBound, 1))
        case .sizeGiB: "1"
        case .cidr: "10.30.0.0/24"
        case .ports: "22"
        case .ipProtocol: "tcp"
        case .address: "10.30.0.5"
        case .addressRange: "10.30.0.100-10.30.0.200"
        case .choice(let words): words[0]
        case .flag: "yes"
        case .text, .list, .path: "x"
        }
    }

    /// Fields come from the schema: every declared option, in its order, required where it is.
    func testAFormHasOneFieldPerDeclaredOptionInOrder() async throws {
        let demo = try await DemoCloudFixture.open()
        for (kind, action, targets) in [(ResourceKind.volumeSnapshot, ActionKind.create, [String]()),
                                         (.instance, .detachVolume, ["web-01"]), (.subnet, .create, [])] {
            let form = try XCTUnwrap(ActionForms.form(for: action, kind: kind, targets: targets, snapshot: demo.snapshot,
                                                      project: nil), "\(kind) \(action)")
            let options = ActionSchema.options(for: kind, action)
            XCTAssertEqual(form.fields.map(\.option), options.map(\.key))
            for (field, option) in zip(form.fields, options) where option.required {
                XCTAssertTrue(field.required, "\(option.key) is required in the schema, so in the form")
            }
        }
        let snapshotForm = try XCTUnwrap(ActionForms.form(for: .create, kind: .volumeSnapshot, targets: [], snapshot: demo.snapshot,
                                                          project: nil))
        guard case .choice(let volumes, _) = snapshotForm.fields[1].value else { return XCTFail("volumes are chosen, not typed") }
        XCTAssertEqual(volumes, demo.snapshot.volumes.map(\.name))
        XCTAssertNil(ActionForms.form(for: .reboot, kind: .instance, targets: ["web-01"], snapshot: demo.snapshot, project: nil),
                     "an action whose options are all optional runs without a form")
    }
}
