-- Sandbox CRM: merging two accounts of one customer (issue 15). Sales merge a duplicate account into the one they
-- keep (POST /accounts/{kept}/merge {"from": <duplicate>}): the kept account gains the duplicate's addresses and
-- contacts; the duplicate stays, deactivated, with merged_into naming the kept account (as CRMs keep a merged record's
-- master), so its history and the ESB's records of it still resolve. Merging moves the duplicate's revision, so its
-- change feed reports it.

ALTER TABLE sandbox_crm.account ADD COLUMN merged_into varchar(32) REFERENCES sandbox_crm.account (account_no)
    CHECK (merged_into <> account_no);

CREATE OR REPLACE FUNCTION sandbox_crm.stamp_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('sandbox_crm.account_chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    NEW.last_modified := now();
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.legal_name, NEW.tax_id, NEW.addresses, NEW.contacts, NEW.active, NEW.merged_into)
                IS DISTINCT FROM (OLD.legal_name, OLD.tax_id, OLD.addresses, OLD.contacts, OLD.active, OLD.merged_into) THEN
            NEW.revision := OLD.revision + 1;
        ELSE
            NEW.revision := OLD.revision;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
