import { useEffect, useState } from "react";
import {
  asAppError,
  commands,
  isCancelled,
  longWork,
  unwrap,
  type ProjectView,
  type ReportFormat,
  type Section,
} from "../api";
import { PathField } from "../shared/PathField";
import { useProjectPhi } from "../hooks/useProjectPhi";
import { PhiList } from "../shared/Phi";

/** The report's chapters, in their order, labelled; a chapter the core adds and this does not
 * label fails tsc. */
export const SECTIONS: Record<Section, string> = {
  summary: "Executive summary",
  approach: "Where each workflow stands",
  scope: "Scope: facilities, roles, interviews, data",
  current_state: "Current-state swimlanes",
  ownership: "Ownership findings",
  mismatches: "State mismatches and the mapping matrix",
  proposals: "Proposed workflows, validation and changes",
  telemetry: "Telemetry plan and results",
  signoffs: "Sign-offs",
  evidence: "Appendix: quotes and counts",
};

const FORMATS: Record<ReportFormat, string> = {
  pdf: "PDF: A4, for reading and printing",
  html: "HTML: one self-contained file",
  md: "Markdown: diagrams as SVG files beside it",
};

/** Where a report goes by default: in `folder` (beside the project, or Documents), named after the
 * project file. */
export function defaultReportPath(projectPath: string, format: string, folder = ""): string {
  const name = (projectPath.split(/[\\/]/).pop() ?? "").replace(/\.baton$/i, "") || "report";
  const base = folder
    ? `${folder.replace(/[\\/]$/, "")}/${name}`
    : projectPath.replace(/\.baton$/i, "") || name;
  return `${base}-report.${format}`;
}

/** A set of ids with a tick box each; all ticked to begin with. */
function Choices({
  legend,
  items,
  chosen,
  onChange,
}: {
  legend: string;
  items: { id: string; name: string }[];
  chosen: Set<string>;
  onChange: (next: Set<string>) => void;
}) {
  return (
    <fieldset className="choices" aria-label={legend}>
      <legend>{legend}</legend>
      {items.map((item) => (
        <label key={item.id} className="check">
          <input
            type="checkbox"
            checked={chosen.has(item.id)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(item.id);
              else next.delete(item.id);
              onChange(next);
            }}
          />
          {item.name}
        </label>
      ))}
    </fieldset>
  );
}

/** All of `items` when every one is chosen (the core reads an empty list as all), else those chosen. */
function picked<T extends string>(items: { id: T }[], chosen: Set<string>): T[] {
  return items.every((i) => chosen.has(i.id)) ? [] : items.filter((i) => chosen.has(i.id)).map((i) => i.id);
}

export function ReportDialog({
  project,
  onProject,
  onClose,
}: {
  project: ProjectView;
  onProject: (p: ProjectView) => void;
  onClose: () => void;
}) {
  const [format, setFormat] = useState<ReportFormat>("pdf");
  // The default folder comes from the core: beside the project, or Documents.
  const [folder, setFolder] = useState("");
  const [path, setPath] = useState(defaultReportPath(project.path, "pdf"));
  const [openProblem, setOpenProblemState] = useState<string | null>(null);
  const setOpenProblem = (e: unknown) => setOpenProblemState(asAppError(e).message);
  useEffect(() => {
    let live = true;
    unwrap(commands.reportFolder()).then(
      (dir) => {
        if (!live) return;
        setFolder(dir);
        setPath((p) =>
          p === defaultReportPath(project.path, "pdf") ? defaultReportPath(project.path, "pdf", dir) : p,
        );
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [project.path]);
  const [client, setClient] = useState(project.client);
  const [authors, setAuthors] = useState(project.authors.join("\n"));
  const [date, setDate] = useState(project.report_date);
  const sectionItems = (Object.entries(SECTIONS) as [Section, string][]).map(([id, name]) => ({ id, name }));
  const [sections, setSections] = useState(new Set<string>(Object.keys(SECTIONS)));
  const [facilities, setFacilities] = useState(new Set(project.facilities.map((f) => f.id)));
  const [workflows, setWorkflows] = useState(new Set(project.workflows.map((w) => w.id)));
  const [running, setRunning] = useState(false);
  const [written, setWritten] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Free text that looks like a patient identifier, to redact before the report leaves.
  const phi = useProjectPhi(project);

  const missing =
    sections.size === 0
      ? "Choose at least one chapter."
      : project.facilities.length > 0 && facilities.size === 0
        ? "Choose at least one facility."
        : project.workflows.length > 0 && workflows.size === 0
          ? "Choose at least one workflow."
          : !path.trim()
            ? "Say where to write the report."
            : null;

  const chooseFormat = (next: ReportFormat) => {
    if (path === defaultReportPath(project.path, format, folder))
      setPath(defaultReportPath(project.path, next, folder));
    setFormat(next);
  };
  const write = async () => {
    setRunning(true);
    setProblem(null);
    setWritten(null);
    try {
      const authorList = authors
        .split("\n")
        .map((a) => a.trim())
        .filter((a) => a);
      const changed =
        client !== project.client ||
        date !== project.report_date ||
        authorList.join("\n") !== project.authors.join("\n");
      if (changed) onProject(await unwrap(commands.setEngagement(client, authorList, date)));
      const files = await longWork(
        commands.writeReport(
          format,
          path.trim(),
          picked(sectionItems, sections),
          picked(project.facilities, facilities),
          picked(project.workflows, workflows),
        ),
      );
      setWritten(files);
      // The audit trail on Home lists the report.
      onProject(await unwrap(commands.currentProject()));
    } catch (e) {
      setProblem(isCancelled(e) ? "Cancelled: no report was written." : asAppError(e).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="modal" role="dialog" aria-label="Findings report">
      <div className="sheet wide report">
        <h2>Findings report</h2>
        <div className="report-grid">
          <div>
            <h3>Title page</h3>
            <label>
              Client
              <input aria-label="Client" value={client} onChange={(e) => setClient(e.target.value)} />
            </label>
            <label>
              Authors, one per line
              <textarea
                aria-label="Authors"
                rows={3}
                value={authors}
                onChange={(e) => setAuthors(e.target.value)}
              />
            </label>
            <label>
              Report date
              <input
                aria-label="Report date"
                placeholder="YYYY-MM-DD (empty: the latest date in the project)"
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            </label>
            <h3>Format</h3>
            {(Object.entries(FORMATS) as [ReportFormat, string][]).map(([value, label]) => (
              <label key={value} className="check">
                <input
                  type="radio"
                  name="report-format"
                  value={value}
                  checked={format === value}
                  onChange={() => chooseFormat(value)}
                />
                {label}
              </label>
            ))}
          </div>
          <div>
            <Choices legend="Chapters" items={sectionItems} chosen={sections} onChange={setSections} />
          </div>
          <div>
            <Choices
              legend="Facilities"
              items={project.facilities}
              chosen={facilities}
              onChange={setFacilities}
            />
            <Choices
              legend="Workflows"
              items={project.workflows}
              chosen={workflows}
              onChange={setWorkflows}
            />
          </div>
        </div>
        <PhiList
          matches={phi}
          testId="report-phi"
          intro="Redact them before the report leaves this machine:"
          onRedact={async (texts) => {
            try {
              onProject(await unwrap(commands.redactPhi(texts)));
            } catch (e) {
              setProblem(asAppError(e).message);
            }
          }}
        />
        <p className="meta">
          Imported data reaches the report only as aliases, roles, counts and hashed ids; interview notes are
          left out. Dismissed findings go to an appendix with their reasons.
        </p>
        <PathField
          label="Report file"
          value={path}
          disabled={running}
          onChange={setPath}
          onBrowse={() => commands.choosePath("save_report", "Write the findings report to")}
        />
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        {written && (
          <div className="written" data-testid="report-written">
            Wrote {written.length === 1 ? "the report" : `${written.length} files`}:
            <ul>
              {written.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
            <div className="buttons left">
              <button onClick={() => void unwrap(commands.openPath(written[0], false)).catch(setOpenProblem)}>
                Open
              </button>
              <button onClick={() => void unwrap(commands.openPath(written[0], true)).catch(setOpenProblem)}>
                Show in folder
              </button>
            </div>
            {openProblem && <p className="problem">{openProblem}</p>}
          </div>
        )}
        <div className="buttons">
          {missing && <span className="meta">{missing}</span>}
          <button onClick={onClose}>{written ? "Close" : "Cancel"}</button>
          <button className="primary" onClick={() => void write()} disabled={running || missing !== null}>
            {running ? "Writing…" : "Write report"}
          </button>
        </div>
      </div>
    </div>
  );
}
