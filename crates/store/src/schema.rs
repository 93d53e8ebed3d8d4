//! The store's schema as numbered migrations. `PRAGMA user_version` holds the number of
//! migrations applied; each runs in its own transaction, so a store is always at one
//! version. Never edit a migration that has shipped: add the next one.

/// The migrations, in order (version `i + 1` after `MIGRATIONS[i]`).
pub const MIGRATIONS: &[&str] = &[
    // 1: runs, operations, networks and their cases, accounts, evidence, users, decisions,
    // exclusions, exports, and the append-only audit log.
    r#"
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    dir TEXT NOT NULL,
    tool TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    manifest TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL UNIQUE,
    imported_at TEXT NOT NULL
);
-- A case is a network's identity across runs: the networks of later runs that are the same
-- accounts map onto it (see `identity`), and decisions belong to it.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('new', 'in_review', 'confirmed', 'cleared', 'needs_evidence')),
    first_run INTEGER NOT NULL REFERENCES runs(id),
    last_run INTEGER NOT NULL REFERENCES runs(id),
    changes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    run INTEGER NOT NULL REFERENCES runs(id),
    op_id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (run, op_id)
);
CREATE TABLE networks (
    id INTEGER PRIMARY KEY,
    run INTEGER NOT NULL REFERENCES runs(id),
    net_id TEXT NOT NULL,
    operation INTEGER REFERENCES operations(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    accounts INTEGER NOT NULL,
    confidence REAL NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (run, net_id)
);
CREATE INDEX networks_case ON networks(case_id);
CREATE TABLE accounts (
    run INTEGER NOT NULL REFERENCES runs(id),
    account_id TEXT NOT NULL,
    screen_name TEXT NOT NULL,
    network INTEGER NOT NULL REFERENCES networks(id),
    role TEXT NOT NULL,
    coordination_score REAL NOT NULL,
    inauthenticity_score REAL,
    posts INTEGER NOT NULL,
    signals TEXT NOT NULL,
    PRIMARY KEY (run, account_id)
);
CREATE INDEX accounts_network ON accounts(network);
CREATE INDEX accounts_id ON accounts(account_id);
-- Why an attributed account is in its network (attributions.json).
CREATE TABLE evidence (
    run INTEGER NOT NULL REFERENCES runs(id),
    account_id TEXT NOT NULL,
    network INTEGER NOT NULL REFERENCES networks(id),
    body TEXT NOT NULL,
    PRIMARY KEY (run, account_id)
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'reviewer', 'admin')),
    password_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    decision TEXT NOT NULL CHECK (decision IN ('propose', 'confirm', 'clear', 'needs_evidence')),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at TEXT NOT NULL
);
CREATE TABLE exclusions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    account_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at TEXT NOT NULL,
    UNIQUE (case_id, account_id)
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
-- The audit log is append-only, enforced by the database itself.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"#,
    // 2: review rounds (a material change or `needs_evidence` starts a new round in which
    // two reviewers must confirm again).
    r#"
ALTER TABLE cases ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
"#,
    // 3: API tokens, stored as SHA-256 digests (a token is 32 random bytes: no need for a
    // slow hash), shown once at creation.
    r#"
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"#,
    // 4: the fused edges inside each network (the web UI draws and explains them without
    // the run folder), and web sessions (the cookie is random; only its SHA-256 is kept).
    r#"
-- What the networks table lists and sorts on, so a page of 10,000 networks never parses bodies.
ALTER TABLE networks ADD COLUMN core INTEGER NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN amplifiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN attributed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN first_post TEXT NOT NULL DEFAULT '';
ALTER TABLE networks ADD COLUMN last_post TEXT NOT NULL DEFAULT '';
ALTER TABLE networks ADD COLUMN internal_share REAL;
ALTER TABLE networks ADD COLUMN breakout INTEGER;
ALTER TABLE networks ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE networks ADD COLUMN linked TEXT NOT NULL DEFAULT '';
CREATE TABLE edges (
    network INTEGER NOT NULL REFERENCES networks(id),
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    weight REAL NOT NULL,
    signals TEXT NOT NULL
);
CREATE INDEX edges_network ON edges(network);
CREATE INDEX edges_source ON edges(source);
CREATE INDEX edges_target ON edges(target);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    session_sha256 TEXT NOT NULL UNIQUE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
"#,
];
