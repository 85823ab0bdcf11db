-- Sandbox ERP: a customer merged into another (issue 15). When sales merge two CRM accounts that both had an ERP
-- customer, the ESB marks the duplicate's customer merged into the kept one's (merged_into) and flags it inactive
-- (crm_act 'N'): nothing is deleted, its orders and invoices keep their customer, and the ERP's users see where the
-- business went. merged_into is not the ERP's own field: it does not move terms_rev.

ALTER TABLE erp.cust_mst ADD COLUMN merged_into varchar(16) REFERENCES erp.cust_mst (cust_no)
    CHECK (merged_into <> cust_no);
