import type { Finding, FindingList, ProjectView } from "./api";

/** The sample project as the home screen receives it. */
export function sample(overrides: Partial<ProjectView> = {}): ProjectView {
  return {
    path: "/tmp/sample.baton",
    name: "Respiratory care network",
    description: "Rescue engagement",
    client: "Meridian Respiratory Care Network",
    authors: ["Dana Whitfield"],
    report_date: "2026-11-20",
    facilities: [
      { id: "lakeview", name: "Lakeview Pulmonary Clinic", timezone: "America/Chicago" },
      { id: "north", name: "North Campus Hospital", timezone: "America/Chicago" },
    ],
    roles: [
      { id: "rn", name: "RN" },
      { id: "rt", name: "RT" },
    ],
    interviews: [
      {
        id: "i1",
        alias: "RT-3",
        role: "RT",
        facility: "North Campus Hospital",
        shift: "night",
        date: "2026-09-14",
        statements: 4,
      },
    ],
    steps: 6,
    workflows: [
      {
        id: "ra",
        name: "Respiratory assessment",
        description: "",
        steps: 6,
        versions: [1],
        draft: false,
        stage: "version 1",
        telemetry_tasks: 0,
      },
    ],
    emr_fields: 2,
    emr_values: 8,
    logs: [],
    audit: [],
    encrypted: false,
    recovered: null,
    undo: null,
    redo: null,
    notices: [],
    default_timezone: "America/Chicago",
    ...overrides,
  };
}

/** What the mocked core answers to a command a test does not script: an empty list for the
 * commands that list things, else nothing. */
export function otherCommand(cmd: string): unknown {
  if (cmd === "timezones") return ["America/Chicago", "America/New_York", "Europe/Paris", "UTC"];
  if (cmd === "finding_list") return findingList([]);
  return cmd === "phi_scan" || cmd === "phi_check" || cmd === "findings" ? [] : null;
}

/** The core's finding list of `findings` as given (the core narrows and sorts; tests script it). */
export function findingList(findings: Finding[], total = findings.length): FindingList {
  return {
    total,
    open: findings.filter((f) => f.status === "open").length,
    rows: findings.map((finding) => ({
      finding,
      kind_label: finding.kind,
      workflow: "",
      step: "",
      roles: finding.subject.roles ?? [],
      facilities: finding.subject.facilities ?? [],
      cases: null,
    })),
    kinds: [...new Set(findings.map((f) => f.kind))].map((kind) => ({
      kind,
      label: kind,
      count: findings.filter((f) => f.kind === kind).length,
    })),
    workflows: [],
  };
}
