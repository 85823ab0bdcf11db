package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A product line of an opportunity, in the CRM's terms. Quantities and prices are decimal strings, as the CRM's
 * API has them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OpportunityProduct(Integer lineNo, String sku, String productName, String qty, String unitPrice) {
}
