-- amends schema, version 1: staff users and tokens, customers, cases with their events and messages,
-- idempotency records. Times are Unix milliseconds (UTC).

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
    created_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    hash       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    external_ref TEXT UNIQUE,
    name         TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    attributes   TEXT NOT NULL DEFAULT '{}',
    value_minor  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX customers_by_email ON customers (email) WHERE email IS NOT NULL;

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    subject     TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL,
    category    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    reference   TEXT,
    state       TEXT NOT NULL,
    assignee_id INTEGER REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX cases_by_customer ON cases (customer_id, id);
CREATE INDEX cases_by_state ON cases (state, id);
CREATE INDEX cases_by_category ON cases (category, id);

CREATE TABLE case_events (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    type    TEXT NOT NULL,
    actor   TEXT NOT NULL,
    data    TEXT NOT NULL DEFAULT '{}',
    at      INTEGER NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_by_case ON messages (case_id, id);

CREATE TABLE idempotency_keys (
    user_id     INTEGER NOT NULL,
    key         TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
