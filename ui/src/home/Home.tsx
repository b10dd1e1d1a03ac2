import { useEffect, useState, type FormEvent } from "react";
import { commands, unwrap, type ProjectView } from "../api";
import type { Area } from "../shared/Areas";
import { PassphraseFields } from "./Dialogs";
import { useFindingCounts } from "../hooks/useFindingCounts";
import { useProjectPhi } from "../hooks/useProjectPhi";
import { PhiList } from "../shared/Phi";

type Run = (work: () => Promise<ProjectView | null | void>) => Promise<void>;

function AddForm({
  label,
  placeholder,
  onAdd,
}: {
  label: string;
  placeholder: string;
  onAdd: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    await onAdd(name.trim());
    setName("");
  };
  return (
    <form className="add-form" onSubmit={(e) => void submit(e)}>
      <input
        aria-label={label}
        placeholder={placeholder}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" disabled={!name.trim()}>
        Add
      </button>
    </form>
  );
}

/** One named thing of a card: its name, renamed in place, and a Delete that says first what goes. */
function NamedItem(props: {
  item: { id: string; name: string };
  what: string;
  others: { id: string; name: string }[];
  detail?: React.ReactNode;
  run: Run;
  rename: (name: string) => Promise<ProjectView>;
  remove: () => Promise<ProjectView>;
  /** What refers to it ("3 interviews"), asked before deleting; empty when nothing does. */
  uses: () => Promise<string[]>;
  /** Merging it into another one, when something uses it. */
  merge?: (into: string) => Promise<ProjectView>;
}) {
  const { item, what } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(item.name);
  const [confirm, setConfirm] = useState<string[] | null>(null);
  const [into, setInto] = useState(props.others[0]?.id ?? "");
  if (editing)
    return (
      <li>
        <form
          className="add-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim() || name.trim() === item.name) return setEditing(false);
            void props.run(() => props.rename(name.trim())).then(() => setEditing(false));
          }}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        >
          <input
            aria-label={`New name of ${item.name}`}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" disabled={!name.trim()}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  return (
    <li className="named-item">
      <span className="item-name">{item.name}</span> {props.detail}{" "}
      <span className="item-actions">
        <button className="small" aria-label={`Rename ${item.name}`} onClick={() => setEditing(true)}>
          Rename
        </button>
        <button
          className="small"
          aria-label={`Delete ${item.name}`}
          onClick={() => void props.uses().then(setConfirm, () => setConfirm([]))}
        >
          Delete
        </button>
      </span>
      {confirm && (
        <div className="confirm" role="alertdialog" aria-label={`Delete ${item.name}?`}>
          {confirm.length === 0 ? (
            <>
              <p>
                Delete the {what} “{item.name}”? Nothing refers to it. Undo brings it back.
              </p>
              <button
                className="danger"
                onClick={() => void props.run(props.remove).then(() => setConfirm(null))}
              >
                Delete {item.name}
              </button>
            </>
          ) : (
            <>
              <p>
                {confirm.join(", ")} use this {what}, so it cannot simply go.
                {props.merge && " Merge it into another one: everything that uses it moves there."}
              </p>
              {props.merge && props.others.length > 0 && (
                <>
                  <select
                    aria-label={`Merge ${item.name} into`}
                    value={into}
                    onChange={(e) => setInto(e.target.value)}
                  >
                    {props.others.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                  <button
                    className="danger"
                    onClick={() => void props.run(() => props.merge!(into)).then(() => setConfirm(null))}
                  >
                    Merge into {props.others.find((o) => o.id === into)?.name}
                  </button>
                </>
              )}
            </>
          )}
          <button onClick={() => setConfirm(null)}>Cancel</button>
        </div>
      )}
    </li>
  );
}

/** A card of a home-screen list: its title and count, the list (or what to do when empty) and what follows. */
function ListCard(props: {
  testId: string;
  title: string;
  count: number;
  empty: string;
  children: [React.ReactNode, React.ReactNode];
}) {
  return (
    <section className="card" data-testid={props.testId}>
      <h2>
        {props.title} <span className="count">{props.count}</span>
      </h2>
      {props.count === 0 ? <p className="empty">{props.empty}</p> : props.children[0]}
      {props.children[1]}
    </section>
  );
}

/** A time zone chosen from the list the core knows, this machine's shown first. */
function TimezoneSelect(props: { label: string; value: string; onChange: (tz: string) => void }) {
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => {
    void commands.timezones().then((z) => setZones(z ?? []));
  }, []);
  const all = zones.includes(props.value) ? zones : [props.value, ...zones];
  return (
    <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {all.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, " ")}
        </option>
      ))}
    </select>
  );
}

/** The facilities: each with its time zone, renamed, re-zoned or deleted; a new one's zone shown before it is saved. */
function FacilitiesCard({ project, run }: { project: ProjectView; run: Run }) {
  const [name, setName] = useState("");
  const [zone, setZone] = useState(project.default_timezone);
  const others = (id: string) => project.facilities.filter((f) => f.id !== id);
  return (
    <ListCard
      testId="facilities"
      title="Facilities"
      count={project.facilities.length}
      empty="No facilities yet. Add the sites of this engagement (hospital, clinic, unit) below."
    >
      <ul>
        {project.facilities.map((f) => (
          <NamedItem
            key={f.id}
            item={f}
            what="facility"
            others={others(f.id)}
            run={run}
            detail={
              <TimezoneSelect
                label={`Time zone of ${f.name}`}
                value={f.timezone}
                onChange={(tz) => void run(() => unwrap(commands.setFacilityTimezone(f.id, tz)))}
              />
            }
            rename={(n) => unwrap(commands.renameFacility(f.id, n))}
            remove={() => unwrap(commands.removeFacility(f.id))}
            uses={async () => {
              const n = project.interviews.filter((i) => i.facility === f.name).length;
              return n === 0 ? [] : [n === 1 ? "1 interview" : `${n} interviews`];
            }}
          />
        ))}
      </ul>
      <form
        className="add-form add-facility"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          void run(() => unwrap(commands.addFacility(name.trim(), zone))).then(() => setName(""));
        }}
      >
        <input
          aria-label="New facility name"
          placeholder="New facility"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <TimezoneSelect label="Time zone of the new facility" value={zone} onChange={setZone} />
        <button type="submit" disabled={!name.trim()}>
          Add
        </button>
      </form>
    </ListCard>
  );
}

/** One workflow: its name, description and where it stands; renamed, described or deleted (after saying what goes). */
function WorkflowItem({ w, run }: { w: ProjectView["workflows"][number]; run: Run }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(w.name);
  const [description, setDescription] = useState(w.description);
  const [confirm, setConfirm] = useState<string[] | null>(null);
  if (editing)
    return (
      <li>
        <form
          className="workflow-edit"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            void run(() => unwrap(commands.updateWorkflow(w.id, name.trim(), description))).then(() =>
              setEditing(false),
            );
          }}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        >
          <input
            aria-label={`Name of ${w.name}`}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <input
            aria-label={`Description of ${w.name}`}
            placeholder="What the workflow covers, from where to where"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <span>
            <button type="submit" disabled={!name.trim()}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </span>
        </form>
      </li>
    );
  return (
    <li className="named-item">
      <span>
        <strong>{w.name}</strong>{" "}
        <span className="meta">
          {w.steps} steps · {w.stage}
          {w.telemetry_tasks > 0 && ` · ${w.telemetry_tasks.toLocaleString("en-US")} tasks in telemetry`}
        </span>
        {w.description && <span className="meta"> · {w.description}</span>}
      </span>{" "}
      <span className="item-actions">
        <button className="small" aria-label={`Edit ${w.name}`} onClick={() => setEditing(true)}>
          Edit
        </button>
        <button
          className="small"
          aria-label={`Delete ${w.name}`}
          onClick={() => void unwrap(commands.workflowUses(w.id)).then(setConfirm, () => setConfirm([]))}
        >
          Delete
        </button>
      </span>
      {confirm && (
        <div className="confirm" role="alertdialog" aria-label={`Delete ${w.name}?`}>
          <p>
            Delete the workflow “{w.name}”{confirm.length > 0 ? ` with its ${confirm.join(", ")}` : ""}? Undo
            brings it all back.
          </p>
          <button
            className="danger"
            onClick={() => void run(() => unwrap(commands.removeWorkflow(w.id))).then(() => setConfirm(null))}
          >
            Delete {w.name}
          </button>
          <button onClick={() => setConfirm(null)}>Cancel</button>
        </div>
      )}
    </li>
  );
}

/** The workflows: each edited or deleted; a new one empty or from a template, into this project. */
function WorkflowsCard({ project, run }: { project: ProjectView; run: Run }) {
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [templates, setTemplates] = useState<string[]>([]);
  useEffect(() => {
    void commands.templates().then((t) => setTemplates(t ?? []));
  }, []);
  return (
    <ListCard
      testId="workflows"
      title="Workflows"
      count={project.workflows.length}
      empty="No workflows yet. Add one below, empty or from a template, or import a bundle."
    >
      <ul>
        {project.workflows.map((w) => (
          <WorkflowItem key={w.id} w={w} run={run} />
        ))}
      </ul>
      <form
        className="add-form add-facility"
        onSubmit={(e) => {
          e.preventDefault();
          if (template) {
            void run(() => unwrap(commands.addWorkflowFromTemplate(template))).then(() => setTemplate(""));
          } else if (name.trim()) {
            void run(async () => (await unwrap(commands.addWorkflow(name.trim()))).project).then(() =>
              setName(""),
            );
          }
        }}
      >
        <select
          aria-label="Start the new workflow from"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
        >
          <option value="">An empty workflow</option>
          {templates.map((t) => (
            <option key={t} value={t}>
              Template: {t.replace(/-/g, " ")}
            </option>
          ))}
        </select>
        {!template && (
          <input
            aria-label="New workflow name"
            placeholder="New workflow"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
        <button type="submit" disabled={!template && !name.trim()}>
          Add
        </button>
      </form>
    </ListCard>
  );
}

/** The roles: each renamed or deleted; a role in use is merged into another instead. */
function RolesCard({ project, run }: { project: ProjectView; run: Run }) {
  return (
    <ListCard
      testId="roles"
      title="Roles"
      count={project.roles.length}
      empty="No roles yet. Each role (RT, RN, MD…) becomes a lane of the swimlane diagrams."
    >
      <ul>
        {project.roles.map((r) => (
          <NamedItem
            key={r.id}
            item={r}
            what="role"
            others={project.roles.filter((o) => o.id !== r.id)}
            run={run}
            rename={(n) => unwrap(commands.renameRole(r.id, n))}
            remove={() => unwrap(commands.removeRole(r.id))}
            uses={() => unwrap(commands.roleUses(r.id))}
            merge={(into) => unwrap(commands.mergeRole(r.id, into))}
          />
        ))}
      </ul>
      <AddForm
        label="New role name"
        placeholder="New role"
        onAdd={(name) => run(() => unwrap(commands.addRole(name, "")))}
      />
    </ListCard>
  );
}

export function Home({
  project,
  run,
  onNavigate,
  onReport,
}: {
  project: ProjectView;
  run: Run;
  onNavigate: (a: Area) => void;
  onReport: () => void;
}) {
  const counts = useFindingCounts(project);
  return (
    <div className="home">
      <section className="intro">
        <h1>{project.name}</h1>
        {project.description && <p className="description">{project.description}</p>}
        <p className="path">{project.path}</p>
      </section>
      <div className="cards">
        <FacilitiesCard project={project} run={run} />
        <RolesCard project={project} run={run} />
        <section className="card" data-testid="interviews">
          <h2>
            Interviews <span className="count">{project.interviews.length}</span>
          </h2>
          {project.interviews.length === 0 ? (
            <p className="empty">
              No interviews yet. Interviews with frontline roles, by facility and shift, arrive with a bundle
              (File → Import bundle).
            </p>
          ) : (
            <ul>
              {project.interviews.slice(0, 8).map((i) => (
                <li key={i.id}>
                  <strong>{i.alias}</strong> · {i.role} · {i.facility}
                  {i.shift && ` · ${i.shift}`}
                </li>
              ))}
            </ul>
          )}
          {project.interviews.length > 0 && (
            <button className="link" onClick={() => onNavigate("interviews")}>
              All interviews →
            </button>
          )}
        </section>
        <WorkflowsCard project={project} run={run} />
        <section className="card" data-testid="emr">
          <h2>EMR data</h2>
          {project.emr_fields === 0 ? (
            <p className="empty">No EMR status fields yet. Import a status export under EMR data.</p>
          ) : (
            <p>
              {project.emr_fields} status fields with {project.emr_values} values
            </p>
          )}
          <button className="link" onClick={() => onNavigate("emr")}>
            EMR data →
          </button>
        </section>
        <section className="card" data-testid="findings">
          <h2>
            Findings <span className="count">{counts ? counts.total : "…"}</span>
          </h2>
          {!counts ? (
            <p className="empty">Analysing…</p>
          ) : counts.total === 0 ? (
            <p className="empty">
              No findings yet. Findings appear when Baton analyses interviews and EMR data.
            </p>
          ) : (
            <p>{counts.open} open</p>
          )}
        </section>
        <section className="card" data-testid="report-card">
          <h2>Findings report</h2>
          <p>
            {project.client ? (
              <strong>{project.client}</strong>
            ) : (
              <span className="empty">No client named yet.</span>
            )}
          </p>
          <p className="meta">
            {project.authors.length > 0 ? `By ${project.authors.join(", ")}` : "No authors named yet."}
            {project.report_date && ` · dated ${project.report_date}`}
          </p>
          <button onClick={onReport}>Write report…</button>
        </section>
        <Protection project={project} run={run} />
        <section className="card" data-testid="activity">
          <h2>Activity</h2>
          {project.audit.length === 0 ? (
            <p className="empty">Nothing imported, exported or reported yet.</p>
          ) : (
            <ul className="activity">
              {project.audit.map((e, i) => (
                <li key={i}>
                  <span className="meta">
                    {e.at.slice(0, 16).replace("T", " ")} · {e.user}
                  </span>{" "}
                  {ACTIONS[e.action] ?? e.action} {e.subject}
                </li>
              ))}
            </ul>
          )}
          <PurgeButton run={run} />
        </section>
      </div>
    </div>
  );
}

/** Encrypts the project, changes its passphrase, or decrypts it; lists free text to redact. */
function Protection({ project, run }: { project: ProjectView; run: Run }) {
  const phi = useProjectPhi(project);
  const [mode, setMode] = useState<"none" | "key" | "decrypt">("none");
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const problem =
    passphrase.length < 8
      ? "At least 8 characters."
      : passphrase !== again
        ? "The two passphrases differ."
        : null;
  const done = () => {
    setMode("none");
    setPassphrase("");
    setAgain("");
  };
  const apply = (next: string | null) => void run(() => unwrap(commands.setPassphrase(next))).then(done);
  return (
    <section className="card" data-testid="protection">
      <h2>Protection</h2>
      <p>
        {project.encrypted
          ? "Encrypted: the file opens only with its passphrase."
          : "Not encrypted: anyone who has the file can read it."}
      </p>
      {mode === "key" ? (
        <div className="protection-form">
          <PassphraseFields
            passphrase={passphrase}
            again={again}
            onPassphrase={setPassphrase}
            onAgain={setAgain}
          />
          <p className="meta">{problem ?? "The passphrase cannot be recovered; keep it safe."}</p>
          <div className="buttons">
            <button onClick={done}>Cancel</button>
            <button className="primary" disabled={problem !== null} onClick={() => apply(passphrase)}>
              {project.encrypted ? "Change passphrase" : "Encrypt"}
            </button>
          </div>
        </div>
      ) : mode === "decrypt" ? (
        <p className="purge">
          Store the file in plain text again? <button onClick={() => apply(null)}>Decrypt</button>{" "}
          <button onClick={done}>Keep it encrypted</button>
        </p>
      ) : (
        <div className="buttons start">
          <button onClick={() => setMode("key")}>
            {project.encrypted ? "Change passphrase…" : "Encrypt…"}
          </button>
          {project.encrypted && <button onClick={() => setMode("decrypt")}>Decrypt…</button>}
        </div>
      )}
      {phi.length === 0 ? (
        <p className="meta" data-testid="phi-clean">
          No free text looks like a patient identifier.
        </p>
      ) : (
        <PhiList
          matches={phi}
          testId="home-phi"
          intro="Redact them before the project or anything made from it is shared:"
          onRedact={(texts) => run(() => unwrap(commands.redactPhi(texts)))}
        />
      )}
    </section>
  );
}

/** Purges the project before it is handed over, after a second click that says what it does. */
function PurgeButton({ run }: { run: Run }) {
  const [asking, setAsking] = useState(false);
  return asking ? (
    <p className="purge">
      Empty the undo history and rewrite the file so nothing deleted can be read back? Undo will not be
      possible afterwards.{" "}
      <button onClick={() => void run(() => unwrap(commands.purgeProject())).then(() => setAsking(false))}>
        Purge now
      </button>{" "}
      <button onClick={() => setAsking(false)}>Keep the history</button>
    </p>
  ) : (
    <button className="link" onClick={() => setAsking(true)}>
      Purge before handing over…
    </button>
  );
}

/** How the audit trail's actions read. */
const ACTIONS: Record<string, string> = {
  import: "imported",
  export: "exported",
  bundle_export: "exported the bundle to",
  report: "wrote the report",
  purge: "purged the project:",
};
