-- Sandbox CRM: the product catalogue and price books (issue 15, products and prices ERP -> CRM). Sales quote from
-- them and never edit them: the ESB writes them from the ERP (PUT /catalog/products/{sku}, PUT
-- /catalog/price-books/{id}), each conditional on the ERP's version of the record. A price book entry prices a
-- product from valid_from to valid_to (both inclusive, either open): the CRM shows a price only on the days it is
-- valid, so a price the ERP dated ahead is held here and takes effect on its date, never before.
-- An open quote quoting a product at another price than a new one is flagged for review (price_review_needed, a note
-- per change in price_review_notes); its lines are never changed.

CREATE TABLE sandbox_crm.catalog_product (
    sku             varchar(32)   PRIMARY KEY,
    name            varchar(200)  NOT NULL,
    unit            varchar(16)   NOT NULL,
    product_group   varchar(32),
    -- false: the ERP no longer sells it (kept: quotes and orders name it)
    active          boolean       NOT NULL DEFAULT true,
    list_price      numeric(18,4),
    currency_code   char(3),
    erp_version     bigint        NOT NULL,
    erp_synced_at   timestamptz   NOT NULL DEFAULT clock_timestamp(),
    created_at      timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_crm.price_book (
    price_book_id   varchar(32)   PRIMARY KEY,
    name            varchar(200)  NOT NULL,
    currency_code   char(3)       NOT NULL,
    -- false: none of its entries applies
    active          boolean       NOT NULL DEFAULT true,
    erp_version     bigint        NOT NULL,
    erp_synced_at   timestamptz   NOT NULL DEFAULT clock_timestamp(),
    created_at      timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_crm.price_book_entry (
    price_book_id   varchar(32)   NOT NULL REFERENCES sandbox_crm.price_book ON DELETE CASCADE,
    -- no reference to catalog_product: a price may arrive before its product does
    sku             varchar(32)   NOT NULL,
    unit_price      numeric(18,4) NOT NULL CHECK (unit_price >= 0),
    valid_from      date,
    valid_to        date
);
CREATE INDEX price_book_entry_sku ON sandbox_crm.price_book_entry (sku, price_book_id);

ALTER TABLE sandbox_crm.quote
    ADD COLUMN price_review_needed  boolean  NOT NULL DEFAULT false,
    -- [{"sku", "quotedPrice", "newPrice", "currency", "validFrom", "source", "notedAt"}], newest last
    ADD COLUMN price_review_notes   jsonb    NOT NULL DEFAULT '[]'::jsonb;
