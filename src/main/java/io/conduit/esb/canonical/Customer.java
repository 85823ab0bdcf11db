package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A customer of the customer master (schema {@code urn:conduit:schema:customer:1}): one system's state of the fields
 * it owns. The CRM ({@code source = crm}) owns the legal name, tax id, addresses, contacts and {@code active}; the ERP
 * ({@code source = erp}) owns its customer number, the credit limit, the payment terms and {@code blocked}.
 * {@code customerId} is the CRM's account number; {@code sourceVersion} the source's revision of its own fields.
 * Null fields are left out of the JSON (the schema requires the owner's fields; a nullable one is written as null by
 * the mappings, which build these states).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(int schemaVersion, String customerId, String source, long sourceVersion, OffsetDateTime changedAt,
                       String erpCustomerNumber, String legalName, String taxId, Boolean active,
                       List<CustomerAddress> addresses, List<Contact> contacts, CreditLimit creditLimit,
                       String paymentTerms, Boolean blocked) {

    /** An address of the customer; {@code type} BILLING, SHIPPING or OTHER. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomerAddress(String type, String street, String postalCode, String city, String country) {
    }

    /** A person to talk to at the customer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contact(String name, String role, String email, String phone) {
    }

    /** The most the customer may owe, in a currency. */
    public record CreditLimit(BigDecimal amount, String currency) {
    }
}
