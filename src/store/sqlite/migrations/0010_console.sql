-- amends schema, version 10: the agents' console. Staff passwords (Argon2id strings from libsodium's
-- crypto_pwhash_str, which carry their own salt and parameters) and web sessions. A session row is found by a keyed
-- hash of the cookie's secret, never the secret itself, so a copy of the database signs nobody in.

CREATE TABLE staff_passwords (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    hash       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE web_sessions (
    id           INTEGER PRIMARY KEY,
    hash         BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,   -- the absolute limit
    last_seen_at INTEGER NOT NULL    -- idle expiry counts from here
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
