-- amends schema, version 9: inbound email. One row per Message-ID filed, so a message the mail server delivers
-- twice (it retried after a timeout) is filed once.

CREATE TABLE inbound_mail (
    message_id  TEXT PRIMARY KEY,   -- the Message-ID header without <>, or a hash of the message when it had none
    action      TEXT NOT NULL,      -- case_opened, reply, note, bounce, ignored
    case_id     INTEGER REFERENCES cases (id),
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
