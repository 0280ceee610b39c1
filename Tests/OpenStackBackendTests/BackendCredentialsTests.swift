import Foundation
import XCTest
@testable import OpenStackBackend

final class BackendCredentialsTests: XCTestCase {
    func testPasswordByNamesWithDomains() throws {
        let cloud = CloudConfig(name: "peer", authType: .password, authURL: "http://127.0.0.1:5000/v3", username: "demo",
                                password: "demopass", projectName: "demo", userDomainName: "Default",
                                projectDomainID: "default", regionName: "RegionOne", sourceFile: "/x/clouds.yaml")
        let credentials = try KeystoneCredentials(cloud: cloud)
        XCTAssertEqual(credentials.method, .password(user: .name("demo"), password: Secret("demopass"),
                                                     userDomain: .name("Default")))
        XCTAssertEqual(credentials.project, ProjectScope(project: .name("demo"), domain: .id("default")))
        XCTAssertEqual(credentials.region, "RegionOne")
        XCTAssertEqual(credentials.identityV3URL.absoluteString, "http://127.0.0.1:5000/v3")
    }

    func testIdsWinOverNamesAndTheDomainFillsIn() throws {
        let cloud = CloudConfig(name: "c", authType: .password, authURL: "https://k:5000", username: "u", userID: "uid",
                                password: "p", projectName: "pn", projectID: "pid", domainName: "corp")
        let credentials = try KeystoneCredentials(cloud: cloud)
        XCTAssertEqual(credentials.method, .password(user: .id("uid"), password: Secret("p"), userDomain: .name("corp")))
        XCTAssertEqual(credentials.project, ProjectScope(project: .id("pid"), domain: .name("corp")))
    }

    func testApplicationCredentialAndToken() throws {
        let appCred = CloudConfig(name: "c", authType: .applicationCredential, authURL: "http://k:5000/v3",
                                  applicationCredentialID: "ac1", applicationCredentialSecret: "s")
        XCTAssertEqual(try KeystoneCredentials(cloud: appCred).method,
                       .applicationCredential(credential: .id("ac1"), secret: Secret("s"), user: nil, userDomain: nil))
        let token = CloudConfig(name: "c", authType: .token, authURL: "http://k:5000/v3", projectID: "p", token: "tok")
        XCTAssertEqual(try KeystoneCredentials(cloud: token).method, .token(Secret("tok")))
    }

    func testWhatCannotBeMappedIsSaidWithTheKeyAndFile() {
        let cases: [(CloudConfig, String)] = [
            (CloudConfig(name: "peer", authType: .password, authURL: "http://k:5000", username: "u",
                         projectName: "p", userDomainName: "d", projectDomainName: "d", sourceFile: "/h/clouds.yaml"),
             "Cloud \"peer\" cannot authenticate: password auth needs a password; set password (OS_PASSWORD, or "
                + "secure.yaml) in /h/clouds.yaml."),
            (CloudConfig(name: "envvars", authType: .password, authURL: "http://k:5000", username: "u", password: "x",
                         userDomainName: "d"),
             "Cloud \"envvars\" cannot authenticate: it names no project to work in; set project_name or project_id "
                + "(OS_PROJECT_NAME) in the OS_* variables."),
            (CloudConfig(name: "c", authType: .applicationCredential, authURL: "http://k:5000",
                         applicationCredentialName: "ci", applicationCredentialSecret: "s"),
             "Cloud \"c\" cannot authenticate: an application credential given by name needs its owner; set username "
                + "or user_id in the OS_* variables."),
            (CloudConfig(name: "c", authType: .password, authURL: "keystone:5000", username: "u", password: "x"),
             "Cloud \"c\" has auth_url \"keystone:5000\", which is not an http(s) URL; set it to the Keystone address, "
                + "e.g. https://keystone:5000/v3."),
        ]
        for (cloud, message) in cases {
            XCTAssertThrowsError(try KeystoneCredentials(cloud: cloud)) { error in
                XCTAssertEqual((error as? CloudConfigError)?.message, message)
            }
        }
    }

    func testPaginationLinksResolveAgainstTheEndpoint() {
        let glance = URL(string: "http://host/image")!
        XCTAssertEqual(OpenStackClient.resolve(next: "/v2/images?marker=x", base: glance)?.absoluteString,
                       "http://host/image/v2/images?marker=x")
        XCTAssertEqual(OpenStackClient.resolve(next: "/v2/images?marker=x", base: URL(string: "http://host:9292/v2/")!)?
            .absoluteString, "http://host:9292/v2/images?marker=x")
        XCTAssertEqual(OpenStackClient.resolve(next: "http://n/v2.0/networks?marker=y", base: glance)?.absoluteString,
                       "http://n/v2.0/networks?marker=y")
    }
}
