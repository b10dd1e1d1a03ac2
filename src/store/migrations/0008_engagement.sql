-- Engagement details for the findings report's title page: the client, the authors (one per
-- line) and the report date (YYYY-MM-DD; empty: the latest date the project holds).
ALTER TABLE project ADD COLUMN client      TEXT NOT NULL DEFAULT '';
ALTER TABLE project ADD COLUMN authors     TEXT NOT NULL DEFAULT '';
ALTER TABLE project ADD COLUMN report_date TEXT NOT NULL DEFAULT '';
