-- amends schema, version 4: the transactional outbox. A row is written in the same transaction as the change that
-- causes it (a reply on a case, later a notice), and a worker delivers it after the commit: nothing is sent that was
-- not committed, nothing committed is left unsent. `dedupe_key` makes a second enqueue of the same thing a no-op.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    dedupe_key      TEXT NOT NULL UNIQUE,
    case_id         INTEGER REFERENCES cases (id),
    message_id      INTEGER REFERENCES messages (id),
    recipient       TEXT NOT NULL,               -- an email address, or a webhook URL
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    headers         TEXT NOT NULL DEFAULT '{}',  -- extra headers as a JSON object (Message-ID, References, ...)
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    leased_until    INTEGER,                     -- a worker is delivering it until then
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_message ON outbox (message_id) WHERE message_id IS NOT NULL;
