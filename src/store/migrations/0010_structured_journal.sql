-- Undo and redo keep structured changes: which operation reverses an edit, on which table, with
-- which column values. Earlier versions kept the reversing SQL as text, which a crafted file could
-- turn into any statement; undo now builds its statements from Baton's own table and column names
-- with bound values. That history cannot be trusted, so it is not carried over: edits made before
-- the upgrade cannot be undone.
DELETE FROM journal_cursor;
DROP TABLE journal_entry;
DELETE FROM journal_step;

CREATE TABLE journal_entry (
    seq     INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL REFERENCES journal_step(id) ON DELETE CASCADE,
    -- What undoing (or redoing) this entry does to the row.
    op      TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    tbl     TEXT NOT NULL
);
CREATE INDEX journal_entry_step ON journal_entry(step_id, seq);

-- The values of one entry: the row's key (`is_key` 1: which row to update or delete) and the
-- column values to write (`is_key` 0: the whole old row to insert, or to set back).
CREATE TABLE journal_value (
    entry_seq INTEGER NOT NULL REFERENCES journal_entry(seq) ON DELETE CASCADE,
    is_key    INTEGER NOT NULL CHECK (is_key IN (0, 1)),
    col       TEXT NOT NULL,
    value,
    PRIMARY KEY (entry_seq, is_key, col)
) WITHOUT ROWID;
