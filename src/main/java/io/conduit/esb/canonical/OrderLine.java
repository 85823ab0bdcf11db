package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;

/**
 * One line of an {@link Order}. {@code lineTotal} is {@code quantity * unitPrice} rounded to 2 decimals, as the
 * source computed it; {@code description} is optional (left out of the JSON when null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderLine(int lineNumber, String productCode, String description, BigDecimal quantity,
                        BigDecimal unitPrice, BigDecimal lineTotal) {
}
