-- Signatures of signed intake requests already used (security issue 11): a request replayed inside its timestamp
-- window is refused. One row per signature, kept until its window has passed.
CREATE TABLE intake_nonce (
    source     varchar(64)  NOT NULL,
    digest     char(64)     NOT NULL,
    expires_at timestamptz  NOT NULL,
    PRIMARY KEY (source, digest)
);
CREATE INDEX intake_nonce_expires ON intake_nonce (expires_at);
