import type { ProjectView } from "../api";
import { versionText } from "./Home";

export type Area = "home" | "interviews" | "swimlanes" | "diagram" | "emr" | "findings" | "proposals";

/** The areas beyond the home screen, showing what the project holds for each. */
export function Areas({ area, project }: { area: Area; project: ProjectView }) {
  switch (area) {
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
