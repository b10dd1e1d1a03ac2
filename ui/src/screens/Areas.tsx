import type { ProjectView } from "../api";
import { versionText } from "./Home";

export type Area = "home" | "interviews" | "swimlanes" | "emr" | "findings" | "proposals";

/** The areas beyond the home screen, showing what the project holds for each. */
export function Areas({ area, project }: { area: Area; project: ProjectView }) {
  switch (area) {
    case "interviews":
      return (
        <section className="area">
          <h1>Interviews</h1>
          {project.interviews.length === 0 ? (
            <p className="empty">
              No interviews yet. Each interview records one frontline role at one facility and shift, by
              alias, never by name. Import a bundle that holds interviews (File → Import bundle).
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Alias</th>
                  <th>Role</th>
                  <th>Facility</th>
                  <th>Shift</th>
                  <th>Date</th>
                  <th className="num">Statements</th>
                </tr>
              </thead>
              <tbody>
                {project.interviews.map((i) => (
                  <tr key={i.id}>
                    <td>{i.alias}</td>
                    <td>{i.role}</td>
                    <td>{i.facility}</td>
                    <td>{i.shift}</td>
                    <td>{i.date}</td>
                    <td className="num">{i.statements}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      );
    case "swimlanes":
      return (
        <section className="area">
          <h1>Swimlanes</h1>
          <p className="hint">
            Each workflow's current-state map is drawn as swimlanes, one lane per role. The project has these
            current-state maps:
          </p>
          <WorkflowTable project={project} />
        </section>
      );
    case "emr":
      return (
        <section className="area">
          <h1>EMR data</h1>
          {project.emr_fields === 0 ? (
            <p className="empty">
              No EMR status fields yet. Status fields, their values and counts per facility arrive with a
              bundle's emr/ files.
            </p>
          ) : (
            <p>
              This project holds {project.emr_fields} EMR status fields with {project.emr_values} values,
              counted per facility.
            </p>
          )}
        </section>
      );
    case "findings":
      return (
        <section className="area">
          <h1>Findings</h1>
          {project.findings === 0 ? (
            <p className="empty">
              No findings yet. Baton lists here what it detects in the interviews, EMR data and event logs —
              ownership drift, one status with several meanings, states with no EMR value, stalls — each with
              its evidence.
            </p>
          ) : (
            <p>
              {project.findings} findings, {project.open_findings} open.
            </p>
          )}
        </section>
      );
    case "proposals":
      return (
        <section className="area">
          <h1>Proposals</h1>
          <p className="hint">
            Proposed future-state workflows are versioned: published versions are immutable, edits go to a
            draft.
          </p>
          <WorkflowTable project={project} />
        </section>
      );
    default:
      return null;
  }
}

function WorkflowTable({ project }: { project: ProjectView }) {
  if (project.workflows.length === 0) {
    return (
      <p className="empty">
        No workflows yet. Start a project from a workflow template (File → New project) or import a bundle.
      </p>
    );
  }
  return (
    <table>
      <thead>
        <tr>
          <th>Workflow</th>
          <th className="num">Steps</th>
          <th>Versions</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        {project.workflows.map((w) => (
          <tr key={w.id}>
            <td>{w.name}</td>
            <td className="num">{w.steps}</td>
            <td>{versionText(w.versions, w.draft)}</td>
            <td>{w.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
