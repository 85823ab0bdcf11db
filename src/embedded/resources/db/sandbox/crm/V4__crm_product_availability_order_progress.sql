-- Sandbox CRM: product availability per site, and production progress and shipments on an opportunity (the CRM's
-- order), as the ESB reports them from the ERP. Additive only. erp_version is the ERP change counter the ESB sent.

CREATE TABLE sandbox_crm.product_availability (
    sku                   varchar(32)   NOT NULL,
    site_code             varchar(16)   NOT NULL,
    in_stock              numeric(18,3) NOT NULL,
    allocated             numeric(18,3) NOT NULL,
    available_to_promise  numeric(18,3) NOT NULL,
    as_of                 timestamptz   NOT NULL,
    erp_version           bigint,
    update_count          integer       NOT NULL DEFAULT 1,
    last_modified         timestamptz   NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (sku, site_code)
);

CREATE TABLE sandbox_crm.order_progress (
    opportunity_id    varchar(64)   PRIMARY KEY,
    erp_order_no      varchar(32),
    work_order_no     varchar(32)   NOT NULL,
    progress_stage    varchar(32)   NOT NULL,
    planned_finish    timestamptz,
    actual_finish     timestamptz,
    qty_produced      numeric(18,3),
    defect_rate_pct   numeric(7,3),
    erp_version       bigint,
    last_modified     timestamptz   NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE sandbox_crm.order_shipment (
    shipment_no       varchar(32)   PRIMARY KEY,
    opportunity_id    varchar(64)   NOT NULL,
    erp_order_no      varchar(32),
    carrier_name      varchar(64),
    tracking_number   varchar(64),
    shipped_on        timestamptz,
    delivered_on      timestamptz,
    erp_version       bigint,
    last_modified     timestamptz   NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX order_shipment_opportunity ON sandbox_crm.order_shipment (opportunity_id);
