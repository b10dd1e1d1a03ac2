import type { ProjectView } from "../api";

/** The drop-down of the project's workflows that the Proposals and Telemetry views share. */
export function WorkflowSelect({
  project,
  value,
  onChange,
}: {
  project: ProjectView;
  value: string;
  onChange: (workflowId: string) => void;
}) {
  return (
    <select aria-label="Workflow" value={value} onChange={(e) => onChange(e.target.value)}>
      {project.workflows.map((w) => (
        <option key={w.id} value={w.id}>
          {w.name}
        </option>
      ))}
    </select>
  );
}
