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
                    form.fields[index].value = .text("x")
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
}
