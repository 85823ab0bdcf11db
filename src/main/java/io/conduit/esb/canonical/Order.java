package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A customer order as it travels between systems (schema {@code urn:conduit:schema:order:1}).
 * <p>
 * {@code orderId} is the source system's own reference for the order and, together with {@code source}, its
 * business key; {@code revision} starts at 1 and grows each time the source changes the order, so a receiver can
 * recognise duplicates and out-of-date updates. {@code currency} is an ISO 4217 code and every amount is in it.
 * {@code requestedDeliveryDate} is optional (left out of the JSON when null).
 * <p>
 * Dates are written as ISO strings ({@code 2026-11-20}) whatever the ObjectMapper's date settings, which need
 * Jackson's JavaTimeModule (Spring Boot's ObjectMapper has it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Order(String orderId,
                    int revision,
                    String source,
                    CustomerRef customer,
                    @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate orderDate,
                    @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate requestedDeliveryDate,
                    String currency,
                    List<OrderLine> lines,
                    BigDecimal totalAmount) {

    public Order {
        lines = lines == null ? null : List.copyOf(lines);
    }
}
