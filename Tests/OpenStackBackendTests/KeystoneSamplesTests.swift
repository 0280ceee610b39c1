import Foundation
import XCTest

/// Upstream OpenStack api-ref samples, copied byte for byte from ../shared/openstack-api-samples
/// so the tests run anywhere; `KeystoneSamplesTests` checks the copies against the originals when present.
enum KeystoneSamples {
    static let sharedRoot = Samples.root.path + "/"

    /// keystone/auth/responses/project-scoped-password.json
    static let projectScopedPassword = #"""
{
    "token": {
        "audit_ids": [
            "3T2dc1CGQxyJsHdDu1xkcw"
        ],
        "catalog": [
            {
                "endpoints": [
                    {
                        "id": "068d1b359ee84b438266cb736d81de97",
                        "interface": "public",
                        "region": "RegionOne",
                        "region_id": "RegionOne",
                        "url": "http://example.com/identity"
                    },
                    {
                        "id": "8bfc846841ab441ca38471be6d164ced",
                        "interface": "admin",
                        "region": "RegionOne",
                        "region_id": "RegionOne",
                        "url": "http://example.com/identity"
                    },
                    {
                        "id": "beb6d358c3654b4bada04d4663b640b9",
                        "interface": "internal",
                        "region": "RegionOne",
                        "region_id": "RegionOne",
                        "url": "http://example.com/identity"
                    }
                ],
                "type": "identity",
                "id": "050726f278654128aba89757ae25950c",
                "name": "keystone"
            }
        ],
        "expires_at": "2015-11-07T02:58:43.578887Z",
        "is_domain": false,
        "issued_at": "2015-11-07T01:58:43.578929Z",
        "methods": [
            "password"
        ],
        "project": {
            "domain": {
                "id": "default",
                "name": "Default"
            },
            "id": "a6944d763bf64ee6a275f1263fae0352",
            "name": "admin"
        },
        "roles": [
            {
                "id": "51cc68287d524c759f47c811e6463340",
                "name": "admin"
            }
        ],
        "user": {
            "domain": {
                "id": "default",
                "name": "Default"
            },
            "id": "ee4dfb6e5540447cb3741905149d9b6e",
            "name": "admin",
            "password_expires_at": "2016-11-06T15:32:17.000000"
        }
    }
}
"""#

    /// keystone/auth/responses/unscoped-password.json
    static let unscopedPassword = #"""
{
    "token": {
        "audit_ids": [
            "mAjXQhiYRyKwkB4qygdLVg"
        ],
        "expires_at": "2015-11-05T22:00:11.000000Z",
        "issued_at": "2015-11-05T21:00:33.819948Z",
        "methods": [
            "password"
        ],
        "user": {
            "domain": {
                "id": "default",
                "name": "Default"
            },
            "id": "10a2e6e717a245d9acad3e5f97aeca3d",
            "name": "admin",
            "password_expires_at": null
        }
    }
}
"""#

    /// keystone/admin/auth-application-credential-response.json
    static let applicationCredentialResponse = #"""
{
    "token": {
        "application_credential": {
          "id": "423f19a4ac1e4f48bbb4180756e6eb6c",
          "name": "monitoring",
          "restricted": true
        },
        "audit_ids": [
            "9JsolhssRzKfyayTIiCRUg"
        ],
        "catalog": [
            {
                "endpoints": [
                    {
                        "region_id": "RegionOne",
                        "url": "http://example.com/identity",
                        "region": "RegionOne",
                        "interface": "admin",
                        "id": "81737f23cd8f45169fcd700cb658c8ad"
                    },
                    {
                        "region_id": "RegionOne",
                        "url": "http://example.com/identity",
                        "region": "RegionOne",
                        "interface": "public",
                        "id": "a7b9155184ed4607853304408e7e8d32"
                    }
                ],
                "type": "identity",
                "id": "408af8b8554248fc8d686bef54ae3bf6",
                "name": "keystone"
            }
        ],
        "expires_at": "2018-01-15T22:14:05.000000Z",
        "is_domain": false,
        "issued_at": "2018-01-15T21:14:05.000000Z",
        "methods": [
            "application_credential"
        ],
        "project": {
            "domain": {
                "id": "default",
                "name": "Default"
            },
            "id": "231c62fb0fbd485b995e8b060c3f0d98",
            "name": "demo"
        },
        "roles": [
            {
                "id": "df8b7e3bf6fb49e9ba19122da2bae916",
                "name": "Member"
            }
        ],
        "user": {
            "password_expires_at": null,
            "domain": {
                "id": "default",
                "name": "Default"
            },
            "id": "fd786d56402c4d1691372e7dee0d00b5",
            "name": "demo"
        }
    }
}
"""#

    /// keystone/admin/auth-application-credential-id-request.json
    static let applicationCredentialIDRequest = #"""
{
    "auth": {
        "identity": {
            "methods": [
                "application_credential"
            ],
            "application_credential": {
                "id": "423f19a4ac1e4f48bbb4180756e6eb6c",
                "secret": "rEaqvJka48mpv"
            }
        }
    }
}
"""#

    /// keystone/admin/auth-application-credential-name-request.json
    static let applicationCredentialNameRequest = #"""
{
    "auth": {
        "identity": {
            "methods": [
                "application_credential"
            ],
            "application_credential": {
                "name": "monitoring",
                "secret": "rEaqvJka48mpv",
                "user": {
                    "id": "423f19a4ac1e4f48bbb4180756e6eb6c"
                }
            }
        }
    }
}
"""#

    /// keystone/auth/requests/project-name-password.json
    static let projectNamePasswordRequest = #"""
{
    "auth": {
        "identity": {
            "methods": [
                "password"
            ],
            "password": {
                "user": {
                    "id": "ee4dfb6e5540447cb3741905149d9b6e",
                    "password": "devstacker"
                }
            }
        },
        "scope": {
            "project": {
                "domain": {
                    "id": "default"
                },
                "name": "admin"
            }
        }
    }
}
"""#

    /// keystone/auth/requests/project-id-password.json
    static let projectIDPasswordRequest = #"""
{
    "auth": {
        "identity": {
            "methods": [
                "password"
            ],
            "password": {
                "user": {
                    "id": "ee4dfb6e5540447cb3741905149d9b6e",
                    "password": "devstacker"
                }
            }
        },
        "scope": {
            "project": {
                "id": "a6944d763bf64ee6a275f1263fae0352"
            }
        }
    }
}
"""#

    /// keystone/admin/identity-versions-response.json
    static let identityVersions = #"""
{
    "versions": {
        "values": [
            {
                "id": "v3.4",
                "links": [
                    {
                        "href": "http://example.com/identity/v3/",
                        "rel": "self"
                    }
                ],
                "media-types": [
                    {
                        "base": "application/json",
                        "type": "application/vnd.openstack.identity-v3+json"
                    }
                ],
                "status": "stable",
                "updated": "2015-03-30T00:00:00Z"
            },
            {
                "id": "v2.0",
                "links": [
                    {
                        "href": "http://example.com/identity/v2.0/",
                        "rel": "self"
                    },
                    {
                        "href": "https://docs.openstack.org/",
                        "rel": "describedby",
                        "type": "text/html"
                    }
                ],
                "media-types": [
                    {
                        "base": "application/json",
                        "type": "application/vnd.openstack.identity-v2.0+json"
                    }
                ],
                "status": "stable",
                "updated": "2014-04-17T00:00:00Z"
            }
        ]
    }
}
"""#

    /// nova/versions/versions-get-resp.json
    static let novaVersions = #"""
{
    "versions": [
        {
            "id": "v2.0",
            "links": [
                {
                    "href": "http://openstack.example.com/v2/",
                    "rel": "self"
                }
            ],
            "status": "DEPRECATED",
            "version": "",
            "min_version": "",
            "updated": "2025-07-04T12:00:00Z"
        },
        {
            "id": "v2.1",
            "links": [
                {
                    "href": "http://openstack.example.com/v2.1/",
                    "rel": "self"
                }
            ],
            "status": "CURRENT",
            "version": "2.104",
            "min_version": "2.1",
            "updated": "2013-07-23T11:33:21Z"
        }
    ]
}
"""#

    /// cinder/versions/versions-response.json
    static let cinderVersions = #"""
{
    "versions": [
        {
            "id": "v3.0",
            "links": [
                {
                    "href": "https://docs.openstack.org/",
                    "rel": "describedby",
                    "type": "text/html"
                },
                {
                    "href": "http://127.0.0.1:45697/v3/",
                    "rel": "self"
                }
            ],
            "media-types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.volume+json;version=3"
                }
            ],
            "min_version": "3.0",
            "status": "CURRENT",
            "updated": "2022-08-31T00:00:00Z",
            "version": "3.71"
        }
    ]
}
"""#

    static let all: [(path: String, text: String)] = [
        ("keystone/auth/responses/project-scoped-password.json", projectScopedPassword),
        ("keystone/auth/responses/unscoped-password.json", unscopedPassword),
        ("keystone/admin/auth-application-credential-response.json", applicationCredentialResponse),
        ("keystone/admin/auth-application-credential-id-request.json", applicationCredentialIDRequest),
        ("keystone/admin/auth-application-credential-name-request.json", applicationCredentialNameRequest),
        ("keystone/auth/requests/project-name-password.json", projectNamePasswordRequest),
        ("keystone/auth/requests/project-id-password.json", projectIDPasswordRequest),
        ("keystone/admin/identity-versions-response.json", identityVersions),
        ("nova/versions/versions-get-resp.json", novaVersions),
        ("cinder/versions/versions-response.json", cinderVersions),
    ]

    static func data(_ text: String) -> Data { Data(text.utf8) }
}

final class KeystoneSamplesTests: XCTestCase {
    func testEmbeddedSamplesMatchTheSharedOriginals() throws {
        guard FileManager.default.fileExists(atPath: KeystoneSamples.sharedRoot) else {
            throw XCTSkip("the shared sample folder is not on this machine")
        }
        for sample in KeystoneSamples.all {
            let original = try String(contentsOfFile: KeystoneSamples.sharedRoot + sample.path, encoding: .utf8)
            XCTAssertEqual(sample.text, original.trimmingCharacters(in: .newlines), sample.path)
        }
    }
}
