package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A postal address. {@code city} and {@code country} (ISO 3166-1 alpha-2, e.g. {@code DE}) are required, street
 * and postal code are not (not every country has postal codes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(String street, String city, String postalCode, String country) {
}
