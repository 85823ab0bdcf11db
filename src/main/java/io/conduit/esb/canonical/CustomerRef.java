package io.conduit.esb.canonical;

/**
 * The customer an order is for, as a reference: its number in the source system and its name at the time of the
 * order. The full customer record is a {@link Customer}.
 */
public record CustomerRef(String customerId, String name) {
}
