#!/usr/bin/env python3
"""Writes the sample engagement's raw inputs (sample-projects/respiratory-network/inputs/).

Deterministic (fixed seed); run it again only to change the sample, then rebuild the sample's
derived files with `baton new /tmp/s.baton --bundle DIR && baton bundle export /tmp/s.baton DIR`.
Planted for the mismatch findings: charting at North stalls and often skips the RN's
reconciliation (undocumented transition); RTs do most reconciliations (role mismatch); the MD's
review is never directly followed by closing (billing comes between: unobserved transition).
"""
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "sample-projects/respiratory-network/inputs")
rng = random.Random(20261124)

DUE, ASSESS, CHART, RECON, REVIEW, BILL, CLOSED = (
    "Assessment due", "Perform respiratory assessment", "Chart assessment in flowsheet",
    "Reconcile assessment with nursing care plan", "Review and co-sign assessment", "Bill assessment",
    "Assessment closed")
SITES = {"North Campus Hospital": 120, "Riverside Community Hospital": 100, "Lakeview Pulmonary Clinic": 80}


def log():
    rows = ["Encounter,Step,Performed At,Role,Staff,Site,Patient MRN"]
    n = 0
    start = datetime(2026, 3, 2, 7, 0)
    for site, cases in SITES.items():
        for _ in range(cases):
            n += 1
            t = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
            steps = [(DUE, "RT"), (ASSESS, "RT"), (CHART, "RT")]
            skip_recon = site.startswith("North") and rng.random() < 0.6
            if not skip_recon:
                steps.append((RECON, "RT" if rng.random() < 0.75 else "RN"))
            steps += [(REVIEW, "MD"), (BILL, "Unit coordinator"), (CLOSED, "MD")]
            for activity, role in steps:
                rows.append(f"E{n:05d},{activity},{t:%Y-%m-%d %H:%M:%S},{role},{role} staff {rng.randrange(1, 9)},{site},MRN{rng.randrange(10**6, 10**7)}")
                if activity == CHART and site.startswith("North"):
                    wait = rng.randrange(8 * 60, 14 * 60)
                else:
                    wait = rng.randrange(10, 50)
                t += timedelta(minutes=wait)
    (OUT / "respiratory-log.csv").write_text("\n".join(rows) + "\n")


def status_csv():
    counts = {("Complete", "Lakeview Pulmonary Clinic"): 2210, ("Complete", "North Campus Hospital"): 8920,
              ("Complete", "Riverside Community Hospital"): 6105, ("In Progress", "Lakeview Pulmonary Clinic"): 640,
              ("In Progress", "North Campus Hospital"): 210, ("In Progress", "Riverside Community Hospital"): 1180,
              ("Not Started", "Lakeview Pulmonary Clinic"): 35, ("Not Started", "North Campus Hospital"): 412,
              ("Not Started", "Riverside Community Hospital"): 97, ("Pending Review", "North Campus Hospital"): 0}
    rows = ["Status Field;Status;Site;Records;Meaning"]
    for (value, site), n in counts.items():
        meaning = "Configured at go-live, no facility uses it" if value == "Pending Review" else ""
        rows.append(f"Documentation Status;{value};{site};{n:,};{meaning}".replace(",", " ") if n >= 1000 else
                    f"Documentation Status;{value};{site};{n};{meaning}")
    (OUT / "documentation-status.csv").write_text("\ufeff" + "\r\n".join(rows) + "\r\n")


def fhir():
    lines = []
    k = 0
    for site, loc in [("north", 90), ("riverside", 40)]:
        for i in range(loc):
            k += 1
            business = "Awaiting RN reconciliation" if i % 3 else "Pending RN co-sign"
            status = "in-progress" if i % 4 else "completed"
            lines.append('{"resourceType":"Task","id":"t%d","status":"%s","intent":"order",'
                         '"businessStatus":{"text":"%s"},"location":{"reference":"Location/%s"}}' % (k, status, business, site))
    lines.append('{"resourceType":"Patient","id":"p1"}')
    (OUT / "task-export.ndjson").write_text("\n".join(lines) + "\n")


def hl7():
    counts = {("NORTH", "CA"): 19, ("NORTH", "CM"): 132, ("NORTH", "IP"): 10, ("NORTH", "SC"): 64,
              ("RIVERSIDE", "CA"): 6, ("RIVERSIDE", "CM"): 140, ("RIVERSIDE", "IP"): 1, ("RIVERSIDE", "SC"): 4}
    msgs = []
    k = 0
    for (site, status), n in counts.items():
        for _ in range(n):
            k += 1
            msgs.append("\r".join([
                f"MSH|^~\\&|EMR|{site}|ORCH|BATON|20260302{k % 24:02d}1500||ORM^O01|M{k:05d}|P|2.5",
                f"ORC|NW|O{k:05d}|||{status}",
                f"OBR|1|O{k:05d}||O2TIT^Oxygen titration"]))
    (OUT / "orders.hl7").write_text("\r\n".join(msgs) + "\r\n")


OUT.mkdir(parents=True, exist_ok=True)
log()
status_csv()
fhir()
hl7()


def telemetry():
    """Task telemetry of Respiratory assessment after go-live: version 1 in October, version 2
    (shorter escalation timers) in November, with fewer reassignments and faster completion."""
    r = random.Random(20261125)
    rows = ["task,workflow,version,step,event,role,facility,timestamp,actor"]
    sites = ["north", "lakeview", "riverside"]
    plans = [  # version, month, tasks, reassign share, median hours (reconcile, review)
        (1, 10, 240, 0.18, (3.0, 5.0)),
        (2, 11, 240, 0.06, (1.5, 3.0)),
    ]
    k = 0
    for version, month, n, reassign, medians in plans:
        for i in range(n):
            step_no = 1 if i % 2 == 0 else 2
            step = f"ra-v{version}-t{step_no}"
            role = "rn" if step_no == 1 else "md"
            site = sites[r.randrange(3)]
            day = 1 + r.randrange(28)
            t = (day * 24 + 7 + r.randrange(12)) * 60 + r.randrange(60)  # minutes in the month
            k += 1
            task = f"T{k:05d}"
            events = [(t, "created", role)]
            t += 2 + int(r.expovariate(1 / 15))
            events.append((t, "assigned", role))
            if r.random() < reassign:
                for _ in range(1 + (r.random() < 0.3)):
                    t += 5 + int(r.expovariate(1 / 20))
                    events.append((t, "reassigned", "rt" if role == "rn" else role))
            if r.random() < 0.04:
                t += 10
                events.append((t, "overridden", role))
            if r.random() < 0.1:
                events.append((t + 60, "escalated", "uc"))
            end = r.random()
            done = events[0][0] + int(medians[step_no - 1] * 60 * r.lognormvariate(0, 0.5))
            done = max(done, t + 1)
            if end < 0.03:
                pass  # still open
            elif end < 0.05:
                events.append((done, "cancelled", role))
            else:
                events.append((done, "completed", role))
            for minute, event, who in events:
                d, rest = divmod(minute, 24 * 60)
                stamp = f"2026-{month:02d}-{d:02d}T{rest // 60:02d}:{rest % 60:02d}:00Z"
                rows.append(f"{task},respiratory-assessment,{version},{step},{event},{who},{site},{stamp},staff-{r.randrange(40):02d}")
    (OUT / "task-telemetry.csv").write_text("\n".join(rows) + "\n")


telemetry()
