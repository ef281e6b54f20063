-- amends schema, version 6: webhook subscriptions, resumable notice fan-out, and the cases incidents caused.

-- Where signed webhooks go. A subscription with no customer is the business's own (or a partner's): it hears every
-- incident, maintenance and component change (optionally only for some components or event types), shaped like
-- Statuspage's subscriber webhooks. A subscription of one customer hears that customer's personal notices.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,                  -- the HMAC-SHA256 key the receiver verifies signatures with
    customer_id INTEGER REFERENCES customers (id),
    components  TEXT NOT NULL DEFAULT '[]',     -- JSON array of component ids; empty: every component
    events      TEXT NOT NULL DEFAULT '[]',     -- JSON array of event types; empty: every event
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX webhooks_by_customer ON webhooks (customer_id) WHERE customer_id IS NOT NULL AND deleted_at IS NULL;

-- One job per incident update whose notices are still being queued: the notices of a chunk of customers are queued
-- in the same transaction that moves `after_customer` on, so a crash resumes where the last chunk committed.
CREATE TABLE fanout_jobs (
    id             INTEGER PRIMARY KEY,
    incident_id    TEXT NOT NULL,
    update_id      TEXT NOT NULL,
    after_customer INTEGER NOT NULL DEFAULT 0,  -- customers up to this id have been handled
    queued         INTEGER NOT NULL DEFAULT 0,  -- notices queued so far
    created_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    UNIQUE (incident_id, update_id)
);
CREATE INDEX fanout_open ON fanout_jobs (id) WHERE finished_at IS NULL;

-- Cases linked to the incident that caused them (the customer was affected, or their words named its components).
CREATE TABLE incident_cases (
    incident_id TEXT NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    reason      TEXT NOT NULL,  -- affected, components
    linked_at   INTEGER NOT NULL,
    PRIMARY KEY (incident_id, case_id)
) WITHOUT ROWID;
CREATE INDEX incident_cases_by_case ON incident_cases (case_id);

-- The incidents a customer is attached to (for linking their new cases).
CREATE INDEX incident_customers_by_customer ON incident_customers (customer_id);

-- Workers claim one channel's due items: email and webhooks are delivered by different workers.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (channel, next_attempt_at, id) WHERE state = 'pending';
