#!/usr/bin/env python3
"""Writes tests/corpus/: malformed, hostile and broken inputs for every importer, each checked by
tests/imports/corpus.rs against the error listed in tests/corpus/expected.tsv. Run it again after
changing a case; the files are committed. The Parquet cases (log-parquet-*) are written by
tests/mining/parquet.rs (write_parquet_corpus), since Python here has no Parquet writer."""
import io, json, os, sqlite3, struct, zipfile, gzip

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
os.makedirs(root, exist_ok=True)

def w(name, data):
    with open(os.path.join(root, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

STATUS_HEAD = "Field,Value,Site,Count\n"
LOG_HEAD = "case,activity,timestamp,role\n"
TEL_HEAD = "task,workflow,version,step,event,role,facility,timestamp\n"

# --- status exports (CSV) ---
w("status-empty.csv", b"")
w("status-only-bom.csv", b"\xef\xbb\xbf")
w("status-header-only.csv", STATUS_HEAD)
w("status-blank-lines.csv", "\n\n\n")
w("status-binary.csv", bytes(range(256)) * 8)
w("status-utf16-no-bom.csv", STATUS_HEAD.encode("utf-16-le") + "Documentation Status,Complete,North,3\n".encode("utf-16-le"))
w("status-bad-count.csv", STATUS_HEAD + "Documentation Status,Complete,North,many\n")
w("status-negative-count.csv", STATUS_HEAD + "Documentation Status,Complete,North,-5\n")
w("status-unclosed-quote.csv", STATUS_HEAD + 'Documentation Status,"Complete,North,3\n')
w("status-no-value-column.csv", "Alpha,Beta\n1,2\n")
w("status-null-bytes.csv", STATUS_HEAD + "Documentation\x00Status,Complete,North,3\n")
w("status-mixed-endings-bad-count.csv", STATUS_HEAD.replace("\n", "\r\n") + "A,B,North,1\rA,C,North,x\n")
w("status.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
# --- workbooks ---
def xlsx(name, members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
    w(name, buf.getvalue())
xlsx("status-zip-bomb.xlsx", {"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (64 << 20)})
xlsx("status-not-a-workbook.xlsx", {"readme.txt": "hello"})
w("status-truncated.xlsx", b"PK\x03\x04" + b"\x14\x00" * 10)
w("status-text-as.xlsx", "Field,Value\nA,B\n")
w("status-empty.xlsx", b"")
# --- FHIR ---
w("status-fhir-truncated.json", '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Task","status":"ready"')
w("status-fhir-no-resource-type.json", '{"hello":"world"}')
w("status-fhir-deep.json", "[" * 100000 + "]" * 100000)
w("status-fhir-bad-line.ndjson", '{"resourceType":"Task","status":"ready"}\n{not json}\n')
w("status-fhir-latin1.ndjson", '{"resourceType":"Task","status":"ready","businessStatus":{"text":"'.encode() + "Prête".encode("latin-1") + b'"}}\n')
w("status-fhir-number-status.json", '{"resourceType":"Task","status":7}')
# --- HL7 v2 ---
w("status-hl7-no-msh.hl7", "PID|1||123\rORC|NW|1\r")
w("status-hl7-garbage.hl7", "MSH" + "\x00" * 50)
w("status-hl7-empty.hl7", b"")
# --- event logs (CSV) ---
w("log-empty.csv", b"")
w("log-header-only.csv", LOG_HEAD)
w("log-bad-timestamp.csv", LOG_HEAD + "c1,Start,yesterday,RN\n")
w("log-empty-case.csv", LOG_HEAD + ",Start,2026-01-01T00:00:00Z,RN\n")
w("log-missing-activity-column.csv", "case,timestamp\nc1,2026-01-01T00:00:00Z\n")
w("log-unclosed-quote.csv", LOG_HEAD + 'c1,"Start,2026-01-01T00:00:00Z,RN\n')
w("log-binary.csv", bytes(range(256)) * 16)
# --- event logs (XES) ---
w("log-truncated.xes", '<?xml version="1.0"?><log><trace><event><string key="concept:name" value="A"/>')
w("log-entities.xes", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><log>&lol2;</log>')
w("log-external-entity.xes", '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><log><trace><string key="concept:name" value="&xxe;"/></trace></log>')
w("log-not-xml.xes", "case,activity\n")
w("log-no-events.xes", '<?xml version="1.0"?><log></log>')
w("log-bad-date.xes", '<?xml version="1.0"?><log><trace><string key="concept:name" value="c"/><event><string key="concept:name" value="A"/><date key="time:timestamp" value="not a date"/></event></trace></log>')
w("log-bad-gzip.xes.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 32)
w("log-gzip-truncated.xes.gz", gzip.compress(b'<?xml version="1.0"?><log><trace>' * 50)[:60])
# --- telemetry ---
w("telemetry-empty.csv", b"")
w("telemetry-header-only.csv", TEL_HEAD)
w("telemetry-bad-event.csv", TEL_HEAD + "t1,w,1,s,exploded,rn,north,2026-11-02T08:00:00Z\n")
w("telemetry-bad-version.csv", TEL_HEAD + "t1,w,one,s,created,rn,north,2026-11-02T08:00:00Z\n")
w("telemetry-bad-timestamp.csv", TEL_HEAD + "t1,w,1,s,created,rn,north,soon\n")
w("telemetry-no-task-column.csv", "event,timestamp,step\ncreated,2026-11-02T08:00:00Z,s\n")
w("telemetry-bad-json.jsonl", '{"task":"t1","event":"created","timestamp":"2026-11-02T08:00:00Z","step":"s"}\n{"task":\n')
w("telemetry-fhir-no-canonical.ndjson", '{"resourceType":"Task","id":"t1","status":"requested","lastModified":"2026-11-02T08:00:00Z"}\n')
w("telemetry-fhir-no-time.ndjson", '{"resourceType":"Task","id":"t1","status":"requested","instantiatesCanonical":"PlanDefinition/w|1"}\n')
w("telemetry-fhir-no-id.ndjson", '{"resourceType":"Task","status":"requested","instantiatesCanonical":"PlanDefinition/w|1","lastModified":"2026-11-02T08:00:00Z"}\n')
# --- enormous fields, lines and elements (the limits of the README; git stores them compressed) ---
w("status-enormous-field.csv", STATUS_HEAD + 'Documentation Status,"' + "x" * (3 << 19) + '",North,3\n')
w("log-enormous-line.csv", LOG_HEAD + "c1," + "A" * (5 << 20) + "\n")
w("telemetry-enormous-field.csv", TEL_HEAD + "t1,w,1," + "s" * (2 << 20) + ",created,rn,north,2026-11-02T08:00:00Z\n")
w("log-enormous-element.xes", '<?xml version="1.0"?><log><trace><string key="concept:name" value="' + "A" * (2 << 20) + '"/></trace></log>')
# --- project files ---
def project(name, application_id, user_version):
    path = os.path.join(root, name)
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.execute("CREATE TABLE project (id TEXT PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO project VALUES ('p', 'From a later Baton')")
    conn.commit()
    conn.close()
project("project-newer-schema.baton", 0x4261746E, 999)
project("project-other-application.baton", 0x12345678, 1)
w("project-truncated.baton", b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 40)
w("project-text.baton", "interview notes, not a project\n")
# Over 4 KiB, a whole number of KiB, and not noise: not mistaken for an encrypted project.
w("project-8k-of-zeros-and-text.baton", (b"not a project" + b"\x00" * 1011) * 8)
w("project-a-zip.baton", b"PK\x03\x04" + b"\x00" * 8188)
# --- bundles (folders): names that would reach outside the bundle ---
BUNDLE_HEAD = "format: baton-bundle\nformat_version: 1\nproject:\n  id: p\n  name: P\n"
EMPTY_MODEL = {f: "[]\n" for f in ["facilities.yaml", "roles.yaml", "events.yaml", "emr/fields.yaml",
                                   "mappings.yaml", "comments.yaml", "findings.yaml"]}
EMPTY_MODEL["emr/value-counts.csv"] = "value_id,facility_id,count\n"
def bundle(name, files):
    for rel, text in {**EMPTY_MODEL, **files}.items():
        os.makedirs(os.path.dirname(os.path.join(root, name, rel)), exist_ok=True)
        w(os.path.join(name, rel), text)
bundle("bundle-input-traversal", {"baton.yaml": BUNDLE_HEAD, "inputs/imports.yaml": "- kind: status\n  file: ../../../../../etc/passwd\n"})
bundle("bundle-input-absolute", {"baton.yaml": BUNDLE_HEAD, "inputs/imports.yaml": "- kind: log\n  file: /etc/passwd\n"})
bundle("bundle-interview-id-traversal", {"baton.yaml": BUNDLE_HEAD, "interviews/evil.yaml": "id: ../../../tmp/evil\nrole: rn\nfacility: north\nshift: day\nalias: X\ndate: \"2026-09-18\"\ninterviewer: A\nstatements: []\n"})
bundle("bundle-newer-format", {"baton.yaml": BUNDLE_HEAD.replace("format_version: 1", "format_version: 99")})
# --- review files (saved from a review packet) ---
REVIEW = {"format": "baton-review", "format_version": 1, "project_id": "another-project",
          "workflow_id": "respiratory-assessment", "workflow": "Respiratory assessment",
          "version_id": "ra-v2", "version": 2, "content_hash": "0" * 64, "content_scheme": 2,
          "reviewed_version": {}, "reviewer": {"name": "Dr. A", "role": "MD"}, "comments": [],
          "resolved": [], "signoff": None, "saved_at": ""}
w("review-not-json.json", "Dear consultant, my comments are below.\n")
w("review-other-format.json", json.dumps({"format": "baton-workflow", "format_version": 2, "states": []}))
w("review-newer-version.json", json.dumps({**REVIEW, "format_version": 7}))
w("review-binary.json", bytes(range(256)) * 4)
w("review-nested-bomb.json", '{"format": "baton-review", "x": ' + "[" * 100000 + "]" * 100000 + "}")
w("review-damaged.json", json.dumps({k: v for k, v in REVIEW.items() if k != "version_id"}))
w("review-no-reviewer.json", json.dumps({**REVIEW, "reviewer": {"name": "  ", "role": ""}}))
w("review-foreign-project.json", json.dumps(REVIEW))
print(len(os.listdir(root)), "files and folders in", os.path.normpath(root))
