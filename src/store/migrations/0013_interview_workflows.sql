-- The workflows an interview is about, named when it is started: its new statements are about
-- the first unless the consultant picks another. Files from before name, for each interview, the
-- workflows its statements were about, in the order they first came up.

CREATE TABLE interview_workflow (
    interview_id TEXT NOT NULL REFERENCES interview(id) ON DELETE CASCADE,
    workflow_id  TEXT NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (interview_id, workflow_id)
);

INSERT INTO interview_workflow (interview_id, workflow_id, position)
SELECT interview_id, workflow_id, min(position)
FROM statement
WHERE workflow_id IS NOT NULL
GROUP BY interview_id, workflow_id;
