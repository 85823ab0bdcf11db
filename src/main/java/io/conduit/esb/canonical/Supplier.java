package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A supplier of the supplier master (schema {@code urn:conduit:schema:supplier:1}): the CRM's state of a supplier
 * purchasing buys from. The CRM owns the legal name, tax id, addresses, contacts, {@code rating} (1-5, null: not rated)
 * and {@code active}; the ERP owns its vendor number, which the CRM shows ({@code erpVendorNumber}, null while the ERP
 * has none). {@code supplierId} is the CRM's supplier number; {@code sourceVersion} the CRM's revision of its fields.
 */
public record Supplier(int schemaVersion, String supplierId, String source, long sourceVersion, OffsetDateTime changedAt,
                       String erpVendorNumber, String legalName, String taxId, boolean active, Integer rating,
                       List<Customer.CustomerAddress> addresses, List<Customer.Contact> contacts) {
}
