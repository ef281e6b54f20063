-- amends schema, version 8: debriefs (the postmortem of an incident or of a group of cases) and their corrective
-- actions. A debrief's body is the rca JSON (docs/rca.md) without its actions; its cases are also kept in
-- `debrief_cases`, so a case finds its debriefs. Actions are rows of their own: they have ids of their own in the
-- API, and the managers' queue looks them up by status and due date.

CREATE TABLE debriefs (
    id           INTEGER PRIMARY KEY,
    incident_id  TEXT,              -- the status page's incident, for a debrief of an incident
    body         TEXT NOT NULL,     -- the debrief as JSON (rca/json.h), actions left out
    published_at INTEGER,           -- when it was published as the incident's postmortem
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX debriefs_by_incident ON debriefs (incident_id) WHERE incident_id IS NOT NULL;

CREATE TABLE debrief_cases (
    debrief_id INTEGER NOT NULL REFERENCES debriefs (id),
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (debrief_id, case_id)
) WITHOUT ROWID;
CREATE INDEX debrief_cases_by_case ON debrief_cases (case_id);

CREATE TABLE debrief_actions (
    id          INTEGER PRIMARY KEY,
    debrief_id  INTEGER NOT NULL REFERENCES debriefs (id),
    status      TEXT NOT NULL,      -- outstanding, completed, not_doing
    due         INTEGER NOT NULL,
    body        TEXT NOT NULL,      -- the action as JSON (rca/json.h)
    reopened_at INTEGER,            -- when a new case of its kind called a completed action into question
    reopened_by TEXT NOT NULL DEFAULT '[]',  -- those cases' ids, a JSON array
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX debrief_actions_by_debrief ON debrief_actions (debrief_id);
CREATE INDEX debrief_actions_outstanding ON debrief_actions (due) WHERE status = 'outstanding';
