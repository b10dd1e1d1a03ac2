-- The order of a workflow's swimlanes, as the consultant arranged it. Roles without a row here
-- follow the listed ones (see `diagram::lanes`).
CREATE TABLE lane (
    workflow_id TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    role_id     TEXT NOT NULL REFERENCES role(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, role_id)
);
