-- Task telemetry after go-live: one row per imported file, and the task groups it produced
-- (counts and durations per workflow, version, step, facility and role, as JSON). Task ids and
-- actors are never stored.
CREATE TABLE telemetry_import (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    settings    TEXT NOT NULL DEFAULT '{}',
    summary     TEXT NOT NULL DEFAULT '{}',
    imported_at TEXT NOT NULL
);

CREATE TABLE telemetry_group (
    import_id TEXT NOT NULL REFERENCES telemetry_import(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (import_id, position)
);
