-- The domain model of DESIGN.md's glossary. Ids are text (UUID v4, or readable ids from bundles).
-- Every model table is journaled for undo/redo by triggers that `store::journal` installs.

CREATE TABLE project (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Salt for hashing case and actor identifiers; never exported.
    salt        TEXT NOT NULL
);

CREATE TABLE facility (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    timezone TEXT NOT NULL DEFAULT 'UTC'
);

CREATE TABLE role (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE interview (
    id          TEXT PRIMARY KEY,
    role_id     TEXT NOT NULL REFERENCES role(id),
    facility_id TEXT NOT NULL REFERENCES facility(id),
    shift       TEXT NOT NULL DEFAULT '',
    alias       TEXT NOT NULL,
    date        TEXT NOT NULL DEFAULT '',
    interviewer TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workflow (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE step (
    id            TEXT PRIMARY KEY,
    workflow_id   TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('start', 'task', 'decision', 'end')),
    owner_role_id TEXT REFERENCES role(id),
    done_means    TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL,
    x             REAL,
    y             REAL
);
CREATE INDEX step_workflow ON step(workflow_id, position);

CREATE TABLE handoff (
    id           TEXT PRIMARY KEY,
    workflow_id  TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    from_step_id TEXT NOT NULL REFERENCES step(id) ON DELETE CASCADE,
    to_step_id   TEXT NOT NULL REFERENCES step(id) ON DELETE CASCADE,
    label        TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE statement (
    id               TEXT PRIMARY KEY,
    interview_id     TEXT NOT NULL REFERENCES interview(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    step_name        TEXT NOT NULL,
    step_id          TEXT REFERENCES step(id) ON DELETE SET NULL,
    performed_by     TEXT REFERENCES role(id),
    initiated_by     TEXT REFERENCES role(id),
    validated_by     TEXT REFERENCES role(id),
    escalates_to     TEXT REFERENCES role(id),
    done_means       TEXT NOT NULL DEFAULT '',
    next_handoff_to  TEXT REFERENCES role(id),
    -- Comma-separated workaround flags, in their declared order.
    workarounds      TEXT NOT NULL DEFAULT '',
    pain_point       TEXT NOT NULL DEFAULT '',
    typical_duration TEXT NOT NULL DEFAULT '',
    quote            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX statement_interview ON statement(interview_id, position);

CREATE TABLE claim (
    id           TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statement(id) ON DELETE CASCADE,
    role_id      TEXT NOT NULL REFERENCES role(id),
    kind         TEXT NOT NULL CHECK (kind IN ('performs', 'validates')),
    owns         INTEGER NOT NULL CHECK (owns IN (0, 1))
);

CREATE TABLE business_state (
    id          TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    meaning     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE emr_field (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE emr_value (
    id          TEXT PRIMARY KEY,
    field_id    TEXT NOT NULL REFERENCES emr_field(id) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (field_id, value)
);

CREATE TABLE emr_value_count (
    value_id    TEXT NOT NULL REFERENCES emr_value(id) ON DELETE CASCADE,
    facility_id TEXT NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    count       INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (value_id, facility_id)
);

CREATE TABLE mapping (
    id          TEXT PRIMARY KEY,
    value_id    TEXT NOT NULL REFERENCES emr_value(id) ON DELETE CASCADE,
    state_id    TEXT NOT NULL REFERENCES business_state(id) ON DELETE CASCADE,
    facility_id TEXT REFERENCES facility(id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE version (
    id          TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    -- NULL while the version is the workflow's draft.
    number      INTEGER CHECK (number IS NULL OR number > 0),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (workflow_id, number)
);
CREATE UNIQUE INDEX version_one_draft ON version(workflow_id) WHERE number IS NULL;

CREATE TABLE proposed_state (
    id         TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES version(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('initial', 'intermediate', 'terminal')),
    meaning    TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (version_id, name)
);

CREATE TABLE event_type (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE transition (
    id                  TEXT PRIMARY KEY,
    version_id          TEXT NOT NULL REFERENCES version(id) ON DELETE CASCADE,
    from_state_id       TEXT NOT NULL REFERENCES proposed_state(id) ON DELETE CASCADE,
    to_state_id         TEXT NOT NULL REFERENCES proposed_state(id) ON DELETE CASCADE,
    event               TEXT NOT NULL,
    guard               TEXT NOT NULL DEFAULT '',
    owner_role_id       TEXT REFERENCES role(id),
    timer               TEXT NOT NULL DEFAULT '',
    escalate_to_role_id TEXT REFERENCES role(id),
    position            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE write_back (
    transition_id TEXT NOT NULL REFERENCES transition(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    field         TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (transition_id, position)
);

CREATE TABLE comment (
    id             TEXT PRIMARY KEY,
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('step', 'handoff', 'state', 'transition')),
    target_id      TEXT NOT NULL,
    author_role_id TEXT REFERENCES role(id),
    text           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    resolved       INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);

CREATE TABLE finding (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
    title          TEXT NOT NULL,
    subject_json   TEXT NOT NULL DEFAULT '{}',
    evidence_json  TEXT NOT NULL DEFAULT '[]',
    recommendation TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed'))
);

-- The undo/redo journal. Each step is one edit; its entries are the SQL statements that reverse it.
CREATE TABLE journal_step (
    id         INTEGER PRIMARY KEY,
    stack      TEXT NOT NULL CHECK (stack IN ('undo', 'redo')),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE journal_entry (
    seq     INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL REFERENCES journal_step(id) ON DELETE CASCADE,
    sql     TEXT NOT NULL
);
CREATE INDEX journal_entry_step ON journal_entry(step_id, seq);

-- The journal step being recorded, or no row when edits are not journaled (imports, migrations).
CREATE TABLE journal_cursor (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    step_id  INTEGER NOT NULL
);
