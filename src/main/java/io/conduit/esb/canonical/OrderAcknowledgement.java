package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.time.OffsetDateTime;

/**
 * The ERP's answer to an {@link Order} (schema {@code urn:conduit:schema:order-acknowledgement:1}): which sales
 * order it became, its status in canonical terms and in the ERP's own code, and what the ERP did with this
 * revision of the order ({@link Outcome}). {@code source} is the order's source system (the ack goes back only to it).
 */
public record OrderAcknowledgement(String orderId,
                                   String source,
                                   int revision,
                                   String erpOrderNumber,
                                   OrderStatus status,
                                   String erpStatus,
                                   Outcome outcome,
                                   @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime acknowledgedAt) {

    /** What the ERP did with the revision of the order it was sent. */
    public enum Outcome {
        /** The order was new: a sales order was created. */
        CREATED,
        /** A newer revision of a known order: the sales order was updated. */
        UPDATED,
        /** The same revision was already processed: nothing changed. */
        DUPLICATE,
        /** An older revision than the one the ERP has: ignored. */
        STALE
    }
}
