-- The proposed-workflow designer: transition priorities (which of two transitions on the same
-- event wins when both guards hold), per-facility owners of the task a transition creates, the
-- typed fields of each event that guards may use, and the event-log activities that signal each
-- event (for replaying logs through a version).

ALTER TABLE transition ADD COLUMN priority INTEGER;

CREATE TABLE owner_override (
    transition_id TEXT NOT NULL REFERENCES transition(id) ON DELETE CASCADE,
    facility_id   TEXT NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    role_id       TEXT NOT NULL REFERENCES role(id),
    PRIMARY KEY (transition_id, facility_id)
);

CREATE TABLE event_field (
    event    TEXT NOT NULL REFERENCES event_type(name) ON DELETE CASCADE ON UPDATE CASCADE,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('number', 'string', 'boolean')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event, name)
);

CREATE TABLE event_activity (
    event    TEXT NOT NULL REFERENCES event_type(name) ON DELETE CASCADE ON UPDATE CASCADE,
    activity TEXT NOT NULL,
    PRIMARY KEY (event, activity)
);
