-- Task names are part of a version's content: the task entering a state opens is named for the
-- work its owner must do. Versions from before get names derived from their workflow's steps
-- (`design::task::fill_missing`, run by the migration right after this script).
ALTER TABLE proposed_state ADD COLUMN task TEXT NOT NULL DEFAULT '';

-- Which content a sign-off's hash covers: 1 (states and transitions, before task names) for every
-- sign-off given before, so that they keep validating; new sign-offs cover task names too (2).
ALTER TABLE signoff ADD COLUMN content_scheme INTEGER NOT NULL DEFAULT 1;
