import { useCallback, useEffect, useRef, useState } from "react";
import {
  commands,
  unwrap,
  type ColumnChoice,
  type FlaggedText,
  type ImportDone,
  type ImportSource,
  type ImportPreview,
  type ImportSettings,
  type MappingMatrix,
  type MatrixFilter,
  type ProjectView,
  type ValueRow,
} from "../api";
import { ReplacedTexts } from "../shared/Phi";
import { ProcessMap } from "./ProcessMap";
import { AggregateDialog } from "./AggregateDialog";

const PART_LABELS: Record<string, string> = {
  field: "Status field",
  value: "Value",
  facility: "Facility",
  count: "Count",
  description: "Description",
  case: "Case id (hashed)",
  activity: "Activity",
  timestamp: "Timestamp",
  role: "Role",
  resource: "Person or device (hashed, not stored)",
};

/** Counts as 17,235 whatever the machine's locale. */
const number = new Intl.NumberFormat("en-US");

/** The parts an import cannot do without. */
const REQUIRED: Record<ImportSource, string[]> = {
  status: ["value"],
  log: ["case", "activity", "timestamp"],
  telemetry: ["task", "event", "timestamp", "step"],
};

export const EMPTY_SETTINGS: ImportSettings = {
  format: null,
  sheet: null,
  delimiter: null,
  encoding: null,
  columns: [],
  timestamp_format: null,
  tz: null,
  resource_roles: null,
  keep: [],
  keep_identifying: [],
  allow_identifiers: [],
  rows_are_records: false,
  all_facilities: false,
};

type Props = {
  project: ProjectView;
  onProject: (p: ProjectView) => void;
  onError: (e: unknown) => void;
  /** Opens a finding on the Findings screen (a marked path of a process map). */
  onOpenFinding: (id: string) => void;
  /** Text the mapping matrix starts searched for (from the project search). */
  search?: string;
};

/** What an import read from, to run it again with more confirmations. */
type ImportRun =
  | { kind: ImportSource; path: string; settings: ImportSettings }
  | { kind: "aggregate"; paths: string[]; name: string; allow: string[] };

/** The EMR data area: import status exports and event logs, and map their values to states. */
export function EmrData({ project, onProject, onError, onOpenFinding, search }: Props) {
  const [importing, setImporting] = useState<ImportSource | null>(null);
  const [aggregating, setAggregating] = useState(false);
  // The event log whose process map is open.
  const [mapOf, setMapOf] = useState<string | null>(null);
  const [matrix, setMatrix] = useState<MappingMatrix | null>(null);
  const [summary, setSummary] = useState<string[] | null>(null);
  // The texts the last import replaced (with their originals, shown only here), and how to run
  // it again with the ticked ones stored as they are.
  const [flagged, setFlagged] = useState<FlaggedText[]>([]);
  const [lastImport, setLastImport] = useState<ImportRun | null>(null);
  const finish = (done: ImportDone, source: ImportRun) => {
    setSummary(done.summary);
    setFlagged(done.flagged);
    setLastImport(source);
    onProject(done.project);
  };
  const importAgain = async (allow: string[]) => {
    if (!lastImport) return;
    if (lastImport.kind === "aggregate") {
      const all = [...lastImport.allow, ...allow];
      try {
        const done = await unwrap(
          commands.runAggregateImport(lastImport.paths, lastImport.name || null, all),
        );
        finish(done, { ...lastImport, allow: all });
      } catch (e) {
        onError(e);
      }
      return;
    }
    const settings = {
      ...lastImport.settings,
      allow_identifiers: [...(lastImport.settings.allow_identifiers ?? []), ...allow],
    };
    try {
      finish(await unwrap(commands.runImport(lastImport.kind, lastImport.path, settings)), {
        ...lastImport,
        settings,
      });
    } catch (e) {
      onError(e);
    }
  };
  const [filter, setFilter] = useState<MatrixFilter>({ search: search ?? "", unmapped_only: false });
  const filterKey = JSON.stringify(filter);
  const reload = useCallback(() => {
    unwrap(commands.mappingMatrix(JSON.parse(filterKey) as MatrixFilter)).then(setMatrix, onError);
  }, [onError, filterKey]);
  // The matrix follows the project (imports, undo, redo).
  useEffect(reload, [reload, project]);

  return (
    <section className="area emr">
      <div className="area-head">
        <h1>EMR data</h1>
        <button onClick={() => setImporting("status")}>Import status export…</button>
        <button onClick={() => setImporting("log")}>Import event log…</button>
        <button onClick={() => setAggregating(true)}>Import log aggregates…</button>
      </div>
      {summary && (
        <div className="card summary" data-testid="import-summary">
          <pre>{summary.join("\n")}</pre>
          <ReplacedTexts flagged={flagged} onImportAgain={importAgain} />
          <button
            className="link"
            onClick={() => {
              setSummary(null);
              setFlagged([]);
            }}
          >
            Hide
          </button>
        </div>
      )}
      {project.logs.length > 0 && (
        <div className="card logs" data-testid="event-logs">
          <h2>Event logs</h2>
          <ul>
            {project.logs.map((l) => (
              <li key={l.id} data-log={l.name}>
                <span>
                  <strong>{l.name}</strong> <span className="meta">{l.summary}</span>
                </span>
                <button
                  className={mapOf === l.id ? "active" : ""}
                  aria-pressed={mapOf === l.id}
                  onClick={() => setMapOf(mapOf === l.id ? null : l.id)}
                >
                  {mapOf === l.id ? "Hide process map" : "Open process map"}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {mapOf && project.logs.some((l) => l.id === mapOf) && (
        <ProcessMap
          key={mapOf}
          logId={mapOf}
          revision={project}
          onClose={() => setMapOf(null)}
          onOpenFinding={onOpenFinding}
          onError={onError}
        />
      )}
      {project.emr_fields === 0 ? (
        <p className="empty">
          No EMR status fields yet. Import a status export (CSV, Excel, FHIR or HL7 v2) to see its values here
          and map them to business states.
        </p>
      ) : (
        <p className="hint">
          {project.emr_fields} status fields with {project.emr_values} values. Choose what each value means as
          a business state, at every facility or at one; suggestions come from name similarity and need your
          confirmation.
        </p>
      )}
      {matrix && (
        <MatrixTable
          matrix={matrix}
          filter={filter}
          onFilter={setFilter}
          onMatrix={(m) => {
            setMatrix(m);
            // Mappings change findings and the undo label.
            unwrap(commands.currentProject()).then(onProject, onError);
          }}
          onError={onError}
        />
      )}
      {aggregating && (
        <AggregateDialog
          onClose={() => setAggregating(false)}
          onDone={(done, paths, name) => {
            setAggregating(false);
            finish(done, { kind: "aggregate", paths, name, allow: [] });
          }}
        />
      )}
      {importing && (
        <ImportDialog
          kind={importing}
          facilities={project.facilities.length}
          onClose={() => setImporting(null)}
          onDone={(done, source) => {
            setImporting(null);
            finish(done, source);
          }}
        />
      )}
    </section>
  );
}

/** Choose a source, check the preview and the column mapping, then import with progress. */
export function ImportDialog({
  kind,
  facilities,
  onClose,
  onDone,
}: {
  kind: ImportSource;
  /** How many facilities the project has (a status export must say where it counted). */
  facilities: number;
  onClose: () => void;
  onDone: (done: ImportDone, source: ImportRun) => void;
}) {
  const [path, setPath] = useState("");
  const [settings, setSettings] = useState<ImportSettings>(EMPTY_SETTINGS);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fraction, setFraction] = useState<number | null | undefined>(undefined);
  const running = fraction !== undefined;
  const timer = useRef<number | null>(null);

  const load = useCallback(
    (file: string, next: ImportSettings) => {
      if (!file.trim()) return;
      unwrap(commands.previewImport(kind, file.trim(), next)).then(
        (p) => {
          setPreview(p);
          setProblem(null);
        },
        (e: unknown) => {
          setPreview(null);
          setProblem(e instanceof Error ? e.message : String(e));
        },
      );
    },
    [kind],
  );
  const change = (next: ImportSettings) => {
    setSettings(next);
    load(path, next);
  };
  const browse = async () => {
    const picked = await commands.choosePath(
      "open_source",
      kind === "log" ? "Choose an event log" : "Choose a status export",
    );
    if (picked) {
      setPath(picked);
      setSettings(EMPTY_SETTINGS);
      load(picked, EMPTY_SETTINGS);
    }
  };
  const columns: ColumnChoice[] = preview?.columns ?? [];
  const setColumn = (part: string, column: string) => {
    const chosen = columns.map((c) => (c.part === part ? { part, column: column || null } : c));
    change({ ...settings, columns: chosen });
  };
  const start = async () => {
    setFraction(null);
    setProblem(null);
    timer.current = window.setInterval(() => {
      void commands.workProgress().then((p) => {
        if (p.running) setFraction(p.fraction);
      });
    }, 150);
    try {
      const used = { ...settings, columns };
      const done = await unwrap(commands.runImport(kind, path.trim(), used));
      onDone(done, { kind, path: path.trim(), settings: used });
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      if (timer.current !== null) window.clearInterval(timer.current);
      setFraction(undefined);
    }
  };
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearInterval(timer.current);
    },
    [],
  );
  const title = kind === "log" ? "Import event log" : "Import status export";
  const tabular = columns.length > 0;
  const missing = columns
    .filter((c) => REQUIRED[kind].includes(c.part) && !c.column)
    .map((c) => PART_LABELS[c.part] ?? c.part);
  // A status export whose count column was not found is never counted a row at a time silently.
  const countMissing = kind === "status" && tabular && !columns.some((c) => c.part === "count" && c.column);
  const countUnsettled = countMissing && !settings.rows_are_records;
  // Nor are several facilities' counts pooled without saying so.
  const facilityMissing =
    kind === "status" &&
    tabular &&
    facilities >= 2 &&
    !columns.some((c) => c.part === "facility" && c.column);
  const facilityUnsettled = facilityMissing && !settings.all_facilities;

  return (
    <div className="modal" role="dialog" aria-label={title}>
      <div className="sheet wide import">
        <h2>{title}</h2>
        <div className="add-form">
          <input
            aria-label="Source file"
            autoFocus
            value={path}
            placeholder={
              kind === "log"
                ? "CSV, XES, XES.gz or Parquet file"
                : "CSV, Excel, FHIR JSON/NDJSON or HL7 v2 file"
            }
            onChange={(e) => setPath(e.target.value)}
            onBlur={() => load(path, settings)}
            onKeyDown={(e) => e.key === "Enter" && load(path, settings)}
            disabled={running}
          />
          <button onClick={() => void browse()} disabled={running}>
            Browse…
          </button>
        </div>
        {preview && (
          <div className="import-options">
            <span className="meta" data-testid="import-format">
              Format: {preview.format.toUpperCase()}
              {preview.format === "fhir" &&
                " (Task, ServiceRequest, Encounter, Observation, DocumentReference, Composition)"}
              {preview.format === "hl7" && " (ORC-1, ORC-5 and OBR-25 per sending facility)"}
            </span>
            {preview.sheets.length > 1 && (
              <label>
                Sheet
                <select
                  value={preview.sheet ?? ""}
                  onChange={(e) => change({ ...settings, sheet: e.target.value, columns: [] })}
                  disabled={running}
                >
                  {preview.sheets.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </label>
            )}
            {(preview.format === "csv" || preview.format === "") && (
              <>
                <Choice
                  label="Delimiter"
                  value={settings.delimiter ?? ""}
                  options={DELIMITERS}
                  onChange={(v) => change({ ...settings, delimiter: v || null })}
                  disabled={running}
                />
                <Choice
                  label="Encoding"
                  value={settings.encoding ?? ""}
                  options={ENCODINGS}
                  onChange={(v) => change({ ...settings, encoding: v || null })}
                  disabled={running}
                />
              </>
            )}
            {kind === "log" && (
              <>
                {LOG_TEXTS.map(([key, label, placeholder]) => (
                  <Text
                    key={key}
                    label={label}
                    value={settings[key]}
                    placeholder={placeholder}
                    onChange={(v) => setSettings({ ...settings, [key]: v })}
                    disabled={running}
                  />
                ))}
              </>
            )}
          </div>
        )}
        {tabular && preview?.remembered && (
          <p className="meta" data-testid="remembered">
            The column mapping of the last import of this file, ready to use again.
          </p>
        )}
        {tabular && (
          <div className="column-map" aria-label="Column mapping">
            {columns.map((c) => (
              <label key={c.part}>
                {PART_LABELS[c.part] ?? c.part}
                <select
                  aria-label={`Column for ${PART_LABELS[c.part] ?? c.part}`}
                  value={c.column ?? ""}
                  onChange={(e) => setColumn(c.part, e.target.value)}
                  disabled={running}
                >
                  <option value="">— not imported —</option>
                  {(preview?.headers ?? []).map((h) => (
                    <option key={h} value={h}>
                      {h || "(unnamed column)"}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        )}
        {preview && preview.headers.length > 0 && (
          <div className="preview-table">
            <table className="grid" data-testid="import-preview">
              <thead>
                <tr>
                  {preview.headers.map((h, i) => {
                    const part = columns.find((c) => c.column === h);
                    return (
                      <th key={i} className={part ? "mapped" : "dropped"}>
                        {h || "(unnamed)"}
                        {part ? (
                          <span className="meta">{PART_LABELS[part.part]}</span>
                        ) : (
                          <label className="meta keep">
                            <input
                              type="checkbox"
                              aria-label={`Keep ${h}`}
                              checked={settings.keep.includes(h)}
                              onChange={(e) =>
                                setSettings({
                                  ...settings,
                                  keep: e.target.checked
                                    ? [...settings.keep, h]
                                    : settings.keep.filter((k) => k !== h),
                                })
                              }
                              disabled={running || !h}
                            />
                            {settings.keep.includes(h) ? "kept (values and counts stored)" : "dropped"}
                          </label>
                        )}
                        {preview.flagged[i] && (
                          <span
                            className="meta phi-flag"
                            title="Patient or staff identifiers stay out of the project unless you keep the column"
                          >
                            ⚠ looks like {preview.flagged[i]}
                          </span>
                        )}
                        {preview.flagged[i] && !part && settings.keep.includes(h) && (
                          <label className="meta keep phi-flag">
                            <input
                              type="checkbox"
                              aria-label={`Store identifiers of ${h}`}
                              checked={(settings.keep_identifying ?? []).includes(h)}
                              onChange={(e) => {
                                const confirmed = (settings.keep_identifying ?? []).filter((k) => k !== h);
                                setSettings({
                                  ...settings,
                                  keep_identifying: e.target.checked ? [...confirmed, h] : confirmed,
                                });
                              }}
                              disabled={running}
                            />
                            yes, store these identifiers in the project
                          </label>
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, 8).map((row, r) => (
                  <tr key={r}>
                    {preview.headers.map((_, i) => (
                      <td key={i}>{row[i] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {preview && (
          <p className="meta">
            {kind === "log"
              ? "Only mapped columns are kept: the others are dropped unless ticked (then their values and counts are stored), case ids are replaced by salted hashes, people are counted, never stored, and texts that look like patient identifiers are replaced by placeholders (the summary lists them). The project keeps aggregates and variants, not the events."
              : "Only mapped columns are kept; the others are dropped unless ticked (then only their values and counts are kept). Values are counted per facility."}
          </p>
        )}
        {missing.length > 0 && (
          <p className="problem" data-testid="missing-columns">
            Choose the column for: {missing.join(", ")}.
          </p>
        )}
        {countMissing && (
          <div className={countUnsettled ? "problem" : "meta"} data-testid="count-missing">
            <p>
              Count: not found. Choose the column that holds the number of records, or tick below if every row
              is one record.
            </p>
            <label className="check">
              <input
                type="checkbox"
                checked={settings.rows_are_records}
                onChange={(e) => setSettings({ ...settings, rows_are_records: e.target.checked })}
                disabled={running}
              />
              Each row is one record
            </label>
          </div>
        )}
        {facilityMissing && (
          <div className={facilityUnsettled ? "problem" : "meta"} data-testid="facility-missing">
            <p>
              Facility: not found. Choose the column that names the facility, or tick below if the counts are
              for every facility together.
            </p>
            <label className="check">
              <input
                type="checkbox"
                checked={settings.all_facilities}
                onChange={(e) => setSettings({ ...settings, all_facilities: e.target.checked })}
                disabled={running}
              />
              The counts are for every facility together
            </label>
          </div>
        )}
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        {running && (
          <div className="progress" data-testid="import-progress">
            <progress value={fraction ?? undefined} max={1} />
            <span>{fraction == null ? "Reading…" : `${Math.round(fraction * 100)} %`}</span>
          </div>
        )}
        <div className="buttons">
          {running ? (
            <button onClick={() => void commands.cancelWork()}>Cancel import</button>
          ) : (
            <button onClick={onClose}>Close</button>
          )}
          <button
            className="primary"
            disabled={running || !preview || missing.length > 0 || countUnsettled || facilityUnsettled}
            onClick={() => void start()}
          >
            Import
          </button>
        </div>
      </div>
    </div>
  );
}

const DELIMITERS: [string, string][] = [
  ["", "Detect"],
  [",", "Comma"],
  [";", "Semicolon"],
  ["\t", "Tab"],
  ["|", "Pipe"],
];
const ENCODINGS: [string, string][] = [
  ["", "Detect"],
  ["utf-8", "UTF-8"],
  ["windows-1252", "Windows-1252"],
];

/** A labelled drop-down of (value, label) options. */
function Choice({
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
  disabled: boolean;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The log settings typed as text: setting, label, placeholder. */
const LOG_TEXTS: ["timestamp_format" | "tz" | "resource_roles", string, string][] = [
  ["timestamp_format", "Timestamp format", "ISO 8601; or e.g. %d/%m/%Y %H:%M"],
  ["tz", "Time zone for times without one", "the facility's, else UTC"],
  ["resource_roles", "Person-to-role table (CSV)", "for logs that name people, not roles"],
];

/** A labelled text box for an optional setting. */
function Text({
  label,
  value,
  placeholder,
  onChange,
  disabled,
}: {
  label: string;
  value: string | null | undefined;
  placeholder: string;
  onChange: (value: string) => void;
  disabled: boolean;
}) {
  return (
    <label>
      {label}
      <input
        value={value ?? ""}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
      />
    </label>
  );
}

/** What the matrix and its candidates need: the matrix, and where an edit's new matrix goes. */
type MatrixProps = {
  matrix: MappingMatrix;
  filter: MatrixFilter;
  onFilter: (f: MatrixFilter) => void;
  onMatrix: (m: MappingMatrix) => void;
  onError: (e: unknown) => void;
};

/** EMR values (rows, by field) × facility (columns), each cell the business state it means. */
export function MatrixTable({ matrix, filter, onFilter, onMatrix, onError }: MatrixProps) {
  const set = (value: ValueRow, facility: string | null, state: string) =>
    unwrap(commands.setMapping(value.id, facility, state || null, "", filter)).then(onMatrix, onError);
  const everywhere = (value: ValueRow, state: string) =>
    unwrap(commands.mapEverywhere(value.id, state, filter)).then(onMatrix, onError);
  const workflows = [...new Set(matrix.states.map((s) => s.workflow))];
  const stateName = (id: string) => matrix.states.find((s) => s.id === id)?.name ?? id;
  const cell = (value: ValueRow, facility: string | null) => {
    const c = value.cells.find((x) => x.facility_id === facility);
    const count = facility ? value.counts[facility] : undefined;
    // A facility with no mapping of its own follows the every-facility one.
    const inherited = !c && facility ? value.cells.find((x) => x.facility_id === null) : undefined;
    return (
      <td
        key={facility ?? "all"}
        className={c ? "mapped" : inherited ? "inherited" : "unmapped"}
        title={c?.note || (inherited ? `As at every facility: ${stateName(inherited.state_id)}` : undefined)}
      >
        <select
          aria-label={`${value.value} at ${facility ? matrix.facilities.find((f) => f.id === facility)?.name : "every facility"}`}
          value={c?.state_id ?? ""}
          onChange={(e) => void set(value, facility, e.target.value)}
        >
          <option value="">
            {inherited ? `(as every facility: ${stateName(inherited.state_id)})` : "Not mapped"}
          </option>
          {workflows.map((w) => (
            <optgroup key={w} label={w}>
              {matrix.states
                .filter((s) => s.workflow === w)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        {facility && (
          <span className="meta">
            {count === undefined ? "not counted" : `${number.format(count)} records`}
          </span>
        )}
        {facility && c && (
          <button
            className="link small"
            onClick={() => void everywhere(value, c.state_id)}
            aria-label={`Use at every facility: ${stateName(c.state_id)} for ${value.value}`}
          >
            Use at every facility
          </button>
        )}
      </td>
    );
  };

  if (matrix.values_total === 0 && matrix.candidates.length === 0) return null;
  return (
    <>
      <h2>Mapping</h2>
      <div className="filters" role="search" aria-label="Filter the mapping">
        <input
          type="search"
          value={filter.search}
          onChange={(e) => onFilter({ ...filter, search: e.target.value })}
          placeholder="Search fields, values, descriptions…"
          aria-label="Search the mapping"
        />
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.unmapped_only}
            onChange={(e) => onFilter({ ...filter, unmapped_only: e.target.checked })}
          />{" "}
          Unmapped only ({matrix.values_unmapped})
        </label>
        <span className="muted" aria-live="polite">
          {matrix.values_shown === matrix.values_total
            ? `${matrix.values_total} values`
            : `${matrix.values_shown} of ${matrix.values_total} values`}
        </span>
      </div>
      {matrix.values_shown === 0 && matrix.values_total > 0 && (
        <p className="empty">No value matches. Clear the search or untick “Unmapped only”.</p>
      )}
      {matrix.states.length === 0 && (
        <p className="empty">No business states yet. Add them from the interviews' meanings below.</p>
      )}
      <div className="matrix-scroll">
        <table className="grid mapping" data-testid="mapping-matrix">
          <thead>
            <tr>
              <th>EMR value</th>
              <th className="num">Records</th>
              <th>Every facility</th>
              {matrix.facilities.map((f) => (
                <th key={f.id}>{f.name}</th>
              ))}
            </tr>
          </thead>
          {matrix.fields.map((field) => (
            <tbody key={field.id}>
              <tr className="field-row">
                <th colSpan={3 + matrix.facilities.length}>
                  {field.name}
                  {field.source && <span className="meta">{field.source}</span>}
                </th>
              </tr>
              {field.values.map((v) => (
                <tr key={v.id} data-value={v.value}>
                  <td>
                    <strong>{v.value}</strong>
                    {v.description && <span className="meta">{v.description}</span>}
                    {v.suggestion && (
                      <button
                        className="suggestion"
                        onClick={() => void set(v, null, v.suggestion?.state_id ?? "")}
                        title={`Name similarity ${Math.round((v.suggestion.score ?? 0) * 100)} %`}
                      >
                        Suggested: {stateName(v.suggestion.state_id)} — confirm
                      </button>
                    )}
                  </td>
                  <td className="num">{number.format(v.total)}</td>
                  {cell(v, null)}
                  {matrix.facilities.map((f) => cell(v, f.id))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      {matrix.candidates.length > 0 && (
        <Candidates
          matrix={matrix}
          filter={filter}
          onFilter={onFilter}
          onMatrix={onMatrix}
          onError={onError}
        />
      )}
    </>
  );
}

/** Interview "done means" phrases that could become business states. */
function Candidates({ matrix, filter, onMatrix, onError }: MatrixProps) {
  const [names, setNames] = useState<Record<number, string>>({});
  return (
    <>
      <h2>Meanings from the interviews</h2>
      <p className="hint">
        What interviewees said “done” means for a step. Name one as a business state to map EMR values to it.
      </p>
      <table className="grid candidates" data-testid="state-candidates">
        <thead>
          <tr>
            <th>Workflow</th>
            <th>Step</th>
            <th>“Done” means</th>
            <th>Said by</th>
            <th>New state</th>
          </tr>
        </thead>
        <tbody>
          {matrix.candidates.map((c, i) => {
            const name = names[i] ?? c.step;
            return (
              <tr key={`${c.workflow_id}/${c.step}/${c.done_means}`}>
                <td>{c.workflow}</td>
                <td>{c.step}</td>
                <td>{c.done_means}</td>
                <td>{c.said_by.join(", ")}</td>
                <td className="add-form">
                  <input
                    aria-label={`State name for ${c.done_means}`}
                    value={name}
                    onChange={(e) => setNames({ ...names, [i]: e.target.value })}
                  />
                  <button
                    disabled={!name.trim()}
                    onClick={() =>
                      void unwrap(commands.addBusinessState(c.workflow_id, name, c.done_means, filter)).then(
                        onMatrix,
                        onError,
                      )
                    }
                  >
                    Add state
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
