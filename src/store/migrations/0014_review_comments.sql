-- Comments from a clinical lead's review packet: who wrote them (a name, since reviewers are not
-- roles of the project), and the comment a reply answers. A reply is pinned to its parent's
-- target, so it goes with it.

ALTER TABLE comment ADD COLUMN author_name TEXT NOT NULL DEFAULT '';
ALTER TABLE comment ADD COLUMN parent_id TEXT;
