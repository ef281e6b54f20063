-- amends schema, version 12: the ledger's entry type is checked without an IN list.
--
-- SQLite (3.40) evaluates a CHECK of the form `x IN ('a', 'b', 'c', ...)` with more than two values by building an
-- ephemeral index of the list on every row it writes: an in-memory B-tree created, filled and dropped per INSERT.
-- On `ledger_entries` that was more than half of each insert's instructions (about 51,000 of them against 22,000
-- with the same rule written as comparisons; bench/RESULTS.md, bench/credit). A bulk credit writes millions of
-- entries, so the table is rebuilt with the same columns, the same rule (type is one of proposed, approved, issued,
-- reversed) spelled as `=` comparisons joined by OR, and the same indexes. Rows keep their ids; nothing refers to
-- `ledger_entries` from another table, so the copy, drop and rename leave every reference intact.

CREATE TABLE ledger_entries_v12 (
    id           INTEGER PRIMARY KEY,
    type         TEXT NOT NULL
                 CHECK (type = 'proposed' OR type = 'approved' OR type = 'issued' OR type = 'reversed'),
    proposal_id  INTEGER REFERENCES remedy_proposals (id),  -- NULL for a bulk credit's entries
    subject      TEXT NOT NULL CHECK (subject = 'case' OR subject = 'incident'),
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
INSERT INTO ledger_entries_v12 (id, type, proposal_id, subject, subject_id, customer_id, rule, kind, category,
                                amount_minor, percent, description, actor, note, at)
    SELECT id, type, proposal_id, subject, subject_id, customer_id, rule, kind, category, amount_minor, percent,
           description, actor, note, at
    FROM ledger_entries ORDER BY id;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v12 RENAME TO ledger_entries;
CREATE UNIQUE INDEX ledger_issued_once ON ledger_entries (subject, subject_id, customer_id, rule) WHERE type = 'issued';
CREATE UNIQUE INDEX ledger_reversed_once ON ledger_entries (subject, subject_id, customer_id, rule) WHERE type = 'reversed';
CREATE INDEX ledger_by_customer ON ledger_entries (customer_id, at);
CREATE INDEX ledger_by_proposal ON ledger_entries (proposal_id) WHERE proposal_id IS NOT NULL;
