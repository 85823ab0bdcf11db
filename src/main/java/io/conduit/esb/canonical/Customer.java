package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A customer as known across systems (schema {@code urn:conduit:schema:customer:1}). Only {@code customerId} and
 * {@code name} are required; the other fields are left out of the JSON when null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(String customerId, String name, String email, String phone, Tier tier, Address address) {

    /** Commercial tier of the customer, as the CRM classifies it. */
    public enum Tier {
        STANDARD, GOLD, PLATINUM
    }
}
