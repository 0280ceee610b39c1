#!/usr/bin/env python3
"""A small fake OpenStack cloud on 127.0.0.1 whose data is hostile, for stacktop's end-to-end tests.

Usage: hostile_cloud.py PORTFILE MODE
  MODE names: server names full of terminal escapes (OSC title, screen clear, OSC 52, C1 CSI, bidi).
  MODE huge:  Nova limits of 1e300 and other absurd numbers.
  MODE slow:  every answer after the token trickles out one byte a second.
  MODE missing: the catalog has no image (Glance) or volumev3 (Cinder) service.
  MODE forbidden: Glance and Cinder answer 403 to every request.
  MODE refuse: Keystone refuses every password (401); each attempt is appended to PORTFILE.auth.
Writes the port it listens on to PORTFILE, then serves until killed. Loopback only."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTFILE, MODE = sys.argv[1], sys.argv[2]
HOSTILE = "x\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\u009b31m\u202eevil"


def base(handler):
    return "http://127.0.0.1:%d" % handler.server.server_address[1]


def token_body(handler):
    b = base(handler)
    catalog = []
    for kind, name, path in [("identity", "keystone", "/v3"), ("compute", "nova", "/compute/v2.1"),
                             ("image", "glance", "/image"), ("volumev3", "cinderv3", "/volume/v3/p1"),
                             ("network", "neutron", "/network")]:
        if MODE == "missing" and kind in ("image", "volumev3"):
            continue
        catalog.append({"type": kind, "name": name, "id": name,
                        "endpoints": [{"interface": "public", "region": "RegionOne", "region_id": "RegionOne",
                                       "url": b + path, "id": name + "-public"}]})
    return {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
                      "issued_at": "2026-01-01T00:00:00.000000Z",
                      "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                      "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                      "roles": [{"id": "r1", "name": "member"}], "catalog": catalog}}


def server(name, number):
    return {"id": "00000000-0000-0000-0000-00000000000%d" % number, "name": name, "status": "ACTIVE",
            "tenant_id": "p1", "user_id": "u1", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
            "flavor": {"original_name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20},
            "image": {"id": "i1"}, "addresses": {}, "key_name": None, "metadata": {},
            "OS-EXT-STS:power_state": 1, "OS-EXT-STS:task_state": None, "OS-EXT-STS:vm_state": "active",
            "OS-EXT-AZ:availability_zone": "nova", "locked": False}


def answer_for(path):
    if "/servers/detail" in path:
        return {"servers": [server(HOSTILE, 1), server("a\r\nforged,row", 2)], "servers_links": []}
    if path.endswith("/limits") or "/limits?" in path:
        big = 1e300 if MODE == "huge" else 10
        return {"limits": {"rate": [], "absolute": {
            "maxTotalCores": big, "totalCoresUsed": -1 if MODE == "huge" else 1,
            "maxTotalInstances": 9223372036854775807 if MODE == "huge" else 10, "totalInstancesUsed": 2,
            "maxTotalRAMSize": big, "totalRAMUsed": 4096, "maxTotalKeypairs": 100,
            "maxServerMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240,
            "maxSecurityGroups": 10, "maxSecurityGroupRules": 20, "totalSecurityGroupsUsed": 0,
            "maxTotalFloatingIps": 10, "totalFloatingIpsUsed": 0, "maxServerGroups": 10,
            "maxServerGroupMembers": 10, "totalServerGroupsUsed": 0}}}
    if "/quotas/" in path:
        return {"quota": {}}
    if "os-quota-sets" in path:
        if MODE == "huge" and "/compute/" in path:
            return {"quota_set": {"id": "p1", "cores": {"in_use": -1, "limit": 1e300, "reserved": 0},
                                  "instances": {"in_use": 2, "limit": 9223372036854775807, "reserved": 0}}}
        return {"quota_set": {"id": "p1"}}
    last = path.split("?")[0].rstrip("/").split("/")[-1]
    if last in ("v2.1", "compute"):
        return {"version": {"id": "v2.1", "status": "CURRENT", "version": "2.90", "min_version": "2.1", "links": []}}
    if last == "detail":
        last = path.split("?")[0].rstrip("/").split("/")[-2]
    key = last.replace("-", "_")
    if key.startswith("os_"):
        key = key[3:]
    return {key: []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if MODE == "slow" and self.path not in ("/v3/auth/tokens", "/v3", "/"):
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
        else:
            self.wfile.write(data)

    def do_GET(self):
        if self.path in ("/", "/v3", "/v3/"):
            return self.send_json(200, {"version": {"id": "v3.14", "status": "stable", "links": [
                {"rel": "self", "href": base(self) + "/v3/"}]}})
        if MODE == "forbidden" and (self.path.startswith("/image") or self.path.startswith("/volume")):
            return self.send_json(403, {"error": {"code": 403, "title": "Forbidden",
                                                  "message": "You are not authorized to list this."}})
        self.send_json(200, answer_for(self.path))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path.startswith("/v3/auth/tokens"):
            if MODE == "refuse":
                with open(PORTFILE + ".auth", "a") as f:
                    f.write("%f\n" % time.time())
                return self.send_json(401, {"error": {"code": 401, "title": "Unauthorized",
                                                      "message": "The request you have made requires authentication."}})
            return self.send_json(201, token_body(self), {"X-Subject-Token": "tok-hostile"})
        self.send_json(404, {"itemNotFound": {"code": 404, "message": "not here"}})


server_ = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server_.server_address[1]))
import os
os.rename(PORTFILE + ".tmp", PORTFILE)
server_.serve_forever()
