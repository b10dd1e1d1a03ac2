-- The audit trail: who (the OS user) imported, exported or reported what, and when. Not journaled
-- (undo does not take back that something happened) and not part of bundles.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL
);
