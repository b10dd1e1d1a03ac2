-- Sign-offs of published versions by clinical leads, bound to a hash of the version's content so
-- a version that changed afterwards shows its sign-off as broken.
CREATE TABLE signoff (
    id           TEXT PRIMARY KEY,
    version_id   TEXT NOT NULL REFERENCES version(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT '',
    signed_on    TEXT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment      TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL
);
