-- amends schema, version 7: remedies and their ledger.
--
-- A proposal is one evaluation of the compensation policy for one customer's mistake (a case, or one affected
-- customer of an incident): the remedies it proposes are offered together, approved together, issued together.
-- The ledger is append-only: every step of a remedy (proposed, approved, issued, reversed) is one entry, never
-- updated or deleted. A remedy's key is (subject, subject_id, customer_id, rule); the database, not the code,
-- keeps it issued at most once and reversed at most once (the two partial unique indexes below), checked in the
-- same transaction as the write.

CREATE TABLE remedy_proposals (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL CHECK (subject IN ('case', 'incident')),
    subject_id  TEXT NOT NULL,                 -- the case id (decimal) or the incident id
    case_id     INTEGER REFERENCES cases (id), -- subject 'case'
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    policy      TEXT NOT NULL,                 -- the policy's name
    total_minor INTEGER NOT NULL,
    approver    TEXT NOT NULL,                 -- the least role that may issue it: agent, manager, admin
    state       TEXT NOT NULL CHECK (state IN ('awaiting_approval', 'offered', 'issued', 'declined')),
    offer_id    TEXT,                          -- the playbook offer (offer.made) that carries it to the customer
    due_at      INTEGER,                       -- when the offer promises it will be done
    evaluation  TEXT NOT NULL,                 -- the policy's evaluation (JSON), for people
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX remedy_proposals_by_case ON remedy_proposals (case_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX remedy_proposals_by_offer ON remedy_proposals (case_id, offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX remedy_proposals_awaiting ON remedy_proposals (id) WHERE state = 'awaiting_approval';

CREATE TABLE ledger_entries (
    id           INTEGER PRIMARY KEY,
    type         TEXT NOT NULL CHECK (type IN ('proposed', 'approved', 'issued', 'reversed')),
    proposal_id  INTEGER REFERENCES remedy_proposals (id),  -- NULL for a bulk credit's entries
    subject      TEXT NOT NULL CHECK (subject IN ('case', 'incident')),
    subject_id   TEXT NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    rule         TEXT NOT NULL,
    kind         TEXT NOT NULL,               -- refund, credit, free_item, upgrade, faster_shipping, discount_next_order
    category     TEXT NOT NULL,               -- the case's category (incidents: the credit's category)
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),  -- the remedy's value; a reversal takes it back
    percent      INTEGER NOT NULL DEFAULT 0,  -- a discount by percent: the percent off
    description  TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL,               -- user:7, customer, system
    note         TEXT NOT NULL DEFAULT '',    -- why (a reversal's reason, an approval's comment)
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX ledger_issued_once ON ledger_entries (subject, subject_id, customer_id, rule) WHERE type = 'issued';
CREATE UNIQUE INDEX ledger_reversed_once ON ledger_entries (subject, subject_id, customer_id, rule) WHERE type = 'reversed';
CREATE INDEX ledger_by_customer ON ledger_entries (customer_id, at);
CREATE INDEX ledger_by_proposal ON ledger_entries (proposal_id) WHERE proposal_id IS NOT NULL;

-- A bulk credit of an incident's affected customers, resumable: `after_customer` moves in the same transaction as
-- each batch's entries, so a rerun after a crash continues where the last committed batch ended.
CREATE TABLE credit_runs (
    incident_id    TEXT PRIMARY KEY,
    after_customer INTEGER NOT NULL DEFAULT 0,
    done           INTEGER NOT NULL DEFAULT 0,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER
);
