-- Service levels per step, set by the consultant, and a flag for safety-critical steps.
ALTER TABLE step ADD COLUMN service_level TEXT NOT NULL DEFAULT '';
ALTER TABLE step ADD COLUMN safety_critical INTEGER NOT NULL DEFAULT 0 CHECK (safety_critical IN (0, 1));

-- The waits of each edge of a log as a quantile sketch (`model::sketch`, text form). Logs imported
-- before have none (''): their tails are judged once they are imported again.
ALTER TABLE log_edge ADD COLUMN sketch TEXT NOT NULL DEFAULT '';
