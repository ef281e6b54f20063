-- amends schema, version 5: the public status page and the customers its incidents touch. The page (components,
-- incidents, maintenances) is a projection of `status_log`, replayed through the pure transitions of src/status at
-- start; each entry is written in the same transaction as the notices it causes.

CREATE TABLE status_log (
    id   INTEGER PRIMARY KEY,
    op   TEXT NOT NULL,   -- component.add, component.set, incident.create, incident.update, maintenance.schedule, ...
    body TEXT NOT NULL,   -- the command, as JSON
    at   INTEGER NOT NULL
);

CREATE TABLE incident_customers (
    incident_id TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    details     TEXT NOT NULL DEFAULT '{}',  -- what touched them (order number, new date, ...), for their notices
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, customer_id)
) WITHOUT ROWID;
