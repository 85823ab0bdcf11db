-- Sandbox ERP users: the ERP assigns user ids itself (U0010001, ...) and keeps the validity period of a user.
CREATE SEQUENCE erp.usr_id_seq START WITH 10001;
ALTER TABLE erp.sys_user ALTER COLUMN usr_id SET DEFAULT 'U' || lpad(nextval('erp.usr_id_seq')::text, 7, '0');
ALTER TABLE erp.sys_user ADD COLUMN valid_from date;
ALTER TABLE erp.sys_user ADD COLUMN valid_to date;
GRANT USAGE, SELECT ON SEQUENCE erp.usr_id_seq TO erp_app;
