-- amends schema, version 2: the scheduler's index of when each case's clocks need a look, and what the queue
-- shows. A projection of the case's events, rewritten in the same transaction as every event that changes it.

CREATE TABLE case_clocks (
    case_id       INTEGER PRIMARY KEY REFERENCES cases (id),
    next_check_at INTEGER,           -- when the scheduler must look again (a deadline or an unrecorded breach)
    next_step     TEXT,              -- the step due next, for the queue
    next_due_at   INTEGER,           -- its deadline, when a clock runs
    why           TEXT NOT NULL DEFAULT '',
    policy        TEXT NOT NULL DEFAULT 'default',
    breached_at   INTEGER,           -- the first breach the scheduler recorded, while unresolved
    updated_at    INTEGER NOT NULL
);
CREATE INDEX case_clocks_due_for_check ON case_clocks (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX case_clocks_queue ON case_clocks (next_due_at) WHERE next_step IS NOT NULL;
