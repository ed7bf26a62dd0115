# Checks a SARIF log against the shape SARIF 2.1.0 requires of what
# tend-lint writes (sarif-schema-2.1.0.json: sarifLog, run, toolComponent,
# reportingDescriptor, result, location, region).
import json, sys
log = json.load(open(sys.argv[1]))
assert set(log) <= {"$schema", "version", "runs"}, log.keys()
assert log["version"] == "2.1.0"
assert log["$schema"].endswith("sarif-2.1.0.json")
assert isinstance(log["runs"], list) and len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert isinstance(driver["name"], str) and driver["name"]
ids = [r["id"] for r in driver["rules"]]
assert len(ids) == len(set(ids)), "duplicate rule ids"
for r in driver["rules"]:
    assert r["shortDescription"]["text"]
    assert r["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
assert run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
for res in run["results"]:
    assert res["level"] in ("none", "note", "warning", "error")
    assert isinstance(res["message"]["text"], str)
    assert ids[res["ruleIndex"]] == res["ruleId"]
    loc = res["locations"][0]["physicalLocation"]
    assert isinstance(loc["artifactLocation"]["uri"], str)
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
print("sarif ok: %d results" % len(run["results"]))
