package io.conduit.esb.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The answer of an HTTP intake route once the message is stored: 202 with a small JSON body built by a JSON
 * serializer (never a string template, so a value sent by the caller cannot add fields to it). Used by the intake
 * routes as bean {@code intakeAnswers}.
 */
@Component("intakeAnswers")
public class IntakeAnswers {

    private final ObjectMapper json;

    public IntakeAnswers(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Sets the 202 answer: {@code {"status":"accepted", <fields>..., "eventId", "correlationId"}}. {@code fields} is
     * a comma-separated list of exchange property names, each optionally renamed ({@code eventId=hrEventId}); the
     * CloudEvents id and correlation id are added when the message carries them. Every other header is removed.
     */
    public void accepted(Exchange exchange, String fields) {
        Message message = exchange.getMessage();
        ObjectNode body = json.createObjectNode().put("status", "accepted");
        for (String field : fields.split(",")) {
            String[] pair = field.trim().split("=", 2);
            String property = pair.length == 2 ? pair[1].trim() : pair[0].trim();
            body.put(pair[0].trim(), exchange.getProperty(property, String.class));
        }
        String eventId = message.getHeader("ce_id", String.class);
        if (eventId != null && !body.has("eventId")) {
            body.put("eventId", eventId);
        }
        String correlationId = message.getHeader("ce_correlationid", String.class);
        if (correlationId != null) {
            body.put("correlationId", correlationId);
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body.toString());
    }
}
