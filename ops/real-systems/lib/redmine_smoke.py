#!/usr/bin/env python3
"""Redmine smoke test over REST: create an issue in one department's project, read it back, move it to
In Progress. Usage: redmine_smoke.py PROPERTIES_FILE"""
import datetime
import json
import sys
import time
import urllib.request


def props(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def call(p, method, path, body=None):
    req = urllib.request.Request(p["redmine.url"] + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"X-Redmine-API-Key": p["redmine.api-key"],
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        text = resp.read().decode()
        return resp.status, (json.loads(text) if text.strip() else None)


def main():
    p = props(sys.argv[1])
    dept = p["redmine.departments"].split(",")[0]
    project = int(p["redmine.project.%s.id" % dept])
    ext = int(p["redmine.custom-field.external-reference-id"])
    sla = int(p["redmine.custom-field.sla-due-at-id"])
    test_id = "SMOKE-%d" % int(time.time() * 1000)
    due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)
    status, created = call(p, "POST", "/issues.json", {"issue": {
        "project_id": project, "tracker_id": int(p["redmine.tracker-id"]),
        "subject": "Smoke test %s" % test_id, "description": "Created by ops/real-systems/smoke.sh",
        "priority_id": int(p["redmine.priority.high-id"]), "due_date": due.date().isoformat(),
        "custom_fields": [{"id": ext, "value": test_id},
                          {"id": sla, "value": due.replace(microsecond=0).isoformat().replace("+00:00", "Z")}]}})
    assert status == 201, status
    issue_id = created["issue"]["id"]
    status, _ = call(p, "PUT", "/issues/%d.json" % issue_id, {"issue": {
        "status_id": int(p["redmine.status.in-progress-id"]), "notes": "taken by the smoke test"}})
    assert status == 204, status
    _, found = call(p, "GET", "/issues.json?project_id=%d&status_id=*&cf_%d=%s" % (project, ext, test_id))
    _, back = call(p, "GET", "/issues/%d.json?include=journals" % issue_id)
    issue = back["issue"]
    assert [i["id"] for i in found["issues"]] == [issue_id], found
    assert issue["status"]["name"] == "In Progress", issue["status"]
    assert {c["id"]: c["value"] for c in issue["custom_fields"]}[ext] == test_id
    print(json.dumps({"test_id": test_id, "project": issue["project"], "issue": issue_id,
                      "status": issue["status"], "due_date": issue["due_date"],
                      "custom_fields": issue["custom_fields"], "journals": len(issue["journals"])}, indent=1))


if __name__ == "__main__":
    main()
