-- amends schema, version 11: email attachments kept with the inbound message they came with (issue 9), and the
-- latest inbound Message-ID of a case found by its case (so our answer can name it in In-Reply-To).

CREATE TABLE mail_attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    message_id   INTEGER REFERENCES messages (id),  -- the customer's message the email became; null for a note
    mail_id      TEXT NOT NULL,                     -- inbound_mail.message_id of the email
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,                  -- bytes of content
    content      BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX mail_attachments_case ON mail_attachments (case_id, id);

CREATE INDEX inbound_mail_case ON inbound_mail (case_id, received_at);
