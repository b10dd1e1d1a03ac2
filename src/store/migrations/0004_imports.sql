-- What imports produced. A project keeps derived data (values and counts, event-log aggregates,
-- variants with hashed example cases), never the raw files.

-- One row per imported source file, by kind and file name: the mapping used (so a re-import of
-- the same file reuses it) and the summary of what was read, dropped and hashed.
CREATE TABLE import_record (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'log')),
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    settings    TEXT NOT NULL DEFAULT '{}',
    summary     TEXT NOT NULL DEFAULT '{}',
    imported_at TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE event_log (
    id             TEXT PRIMARY KEY REFERENCES import_record(id) ON DELETE CASCADE,
    events         INTEGER NOT NULL,
    cases          INTEGER NOT NULL,
    first_at       TEXT NOT NULL DEFAULT '',
    last_at        TEXT NOT NULL DEFAULT '',
    -- Cases whose variant is not among the kept ones.
    other_variants INTEGER NOT NULL DEFAULT 0
);

-- Facility and role columns hold the project's facility or role id when the log's value matched
-- one, else the value as the log wrote it; '' when the log had none.
CREATE TABLE log_activity (
    log_id      TEXT NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
    facility    TEXT NOT NULL,
    activity    TEXT NOT NULL,
    events      INTEGER NOT NULL,
    starts      INTEGER NOT NULL,
    ends        INTEGER NOT NULL,
    -- Time from this activity to the case's next event.
    wait_count  INTEGER NOT NULL,
    wait_median REAL NOT NULL,
    wait_p90    REAL NOT NULL,
    PRIMARY KEY (log_id, facility, activity)
);

CREATE TABLE log_role (
    log_id   TEXT NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
    facility TEXT NOT NULL,
    activity TEXT NOT NULL,
    role     TEXT NOT NULL,
    events   INTEGER NOT NULL,
    PRIMARY KEY (log_id, facility, activity, role)
);

CREATE TABLE log_edge (
    log_id         TEXT NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
    facility       TEXT NOT NULL,
    from_activity  TEXT NOT NULL,
    to_activity    TEXT NOT NULL,
    count          INTEGER NOT NULL,
    mean_seconds   REAL NOT NULL,
    median_seconds REAL NOT NULL,
    PRIMARY KEY (log_id, facility, from_activity, to_activity)
);

CREATE TABLE log_variant (
    log_id       TEXT NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    -- JSON array of activity names.
    activities   TEXT NOT NULL,
    count        INTEGER NOT NULL,
    -- Salted hash of the first case that followed this variant.
    example_case TEXT NOT NULL,
    PRIMARY KEY (log_id, position)
);
