-- Good to Great: the shared storage of several app servers (issue 18).
-- Applied once, in one transaction, by the first server to connect (g2g_core.storage.postgres.migrate).

CREATE TABLE audit_log (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    role    text NOT NULL,
    action  text NOT NULL,
    urn     bigint,
    detail  text NOT NULL,
    prev    text NOT NULL,  -- the hash of the entry before (64 zeros for the first)
    hash    text NOT NULL   -- SHA-256 of this entry's fields and prev (g2g_core.storage.postgres.entry_hash)
);

CREATE FUNCTION g2g_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION g2g_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION g2g_refuse_change();

-- Failed sign-ins per key ('user:…', 'session:…', 'address:…', 'all'); times are epoch seconds.
CREATE TABLE signin_counts (
    key          text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    since        double precision NOT NULL DEFAULT 0,
    locked_until double precision NOT NULL DEFAULT 0
);

-- Signed-out sessions (SHA-256 of the session id) until their cookie would have expired.
CREATE TABLE ended_sessions (
    digest     text PRIMARY KEY,
    expires_at double precision NOT NULL
);

CREATE TABLE scenarios (
    key      text PRIMARY KEY,
    name     text NOT NULL,
    body     text NOT NULL,
    revision integer NOT NULL DEFAULT 1,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- Data versions (their files live on the shared storage, under their id) and the live one.
CREATE TABLE data_versions (
    id         text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    action     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    parent     text,
    manifest   text NOT NULL
);

CREATE TABLE data_pointer (
    only_one    boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    version_id  text NOT NULL REFERENCES data_versions (id),
    switched_at timestamptz NOT NULL DEFAULT now()
);
