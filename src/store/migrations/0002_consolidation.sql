-- Interview consolidation and finding triage.

-- The workflow a statement is about; taken from its step where it has one.
ALTER TABLE statement ADD COLUMN workflow_id TEXT REFERENCES workflow(id) ON DELETE CASCADE;
UPDATE statement SET workflow_id = (SELECT workflow_id FROM step WHERE step.id = statement.step_id);
CREATE INDEX statement_workflow ON statement(workflow_id, step_id);

-- 1 while a step or handoff is as consolidation made it; an edit by hand makes it the consultant's.
ALTER TABLE step ADD COLUMN generated INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1));
ALTER TABLE handoff ADD COLUMN generated INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1));

-- Merge suggestions the consultant rejected: these two steps are different.
CREATE TABLE distinct_steps (
    workflow_id    TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    first_step_id  TEXT NOT NULL REFERENCES step(id) ON DELETE CASCADE,
    second_step_id TEXT NOT NULL REFERENCES step(id) ON DELETE CASCADE,
    PRIMARY KEY (first_step_id, second_step_id),
    CHECK (first_step_id < second_step_id)
);

-- Findings are computed from the model each time; only the consultant's decisions are stored.
CREATE TABLE finding_triage (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('accepted', 'dismissed')),
    reason     TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT ''
);
INSERT INTO finding_triage (id, kind, title, status)
    SELECT id, kind, title, status FROM finding WHERE status <> 'open';
DROP TABLE finding;
