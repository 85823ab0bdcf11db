-- The ERP change capture reads the ERP through port erp.changes-since (adapters/erp/PORTS.md): the watermark is now
-- the adapter's own opaque text (the sandbox ERP's transaction-id horizon, Tryton's write-date cursor, ...), kept by
-- the inventory feedback flow and handed back on the next poll. NULL: nothing read yet (the adapter starts from the
-- beginning). The sandbox horizon already reached is kept, as text.

ALTER TABLE cdc_watermark ADD COLUMN position text;
UPDATE cdc_watermark SET position = CAST(horizon_txid AS text) WHERE horizon_txid > 0;
ALTER TABLE cdc_watermark DROP COLUMN horizon_txid;
