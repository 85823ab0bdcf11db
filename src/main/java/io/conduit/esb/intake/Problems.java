package io.conduit.esb.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.eventing.CloudEventsStamp;
import io.conduit.esb.mapping.MappingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.component.jsonvalidator.NoJsonBodyValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Comparator;

/**
 * Turns the failure of an HTTP intake route into an RFC 9457 problem+json answer. Used by the shared intake
 * error policy ({@code esb-http-intake} in {@code routes/error-policy.camel.yaml}); routes never build errors
 * themselves.
 * <ul>
 *   <li>a {@link ProblemException} (refused by an intake check: authentication, rate limit, size, ...): its own
 *       status, type and headers;</li>
 *   <li>the sender's payload breaks the source system's schema, or is not JSON: 400, one violation per field;</li>
 *   <li>the payload is valid but cannot become a valid canonical event: 422;</li>
 *   <li>anything else (Kafka unreachable, ...): 503 with Retry-After: the message was not accepted, send it again.</li>
 * </ul>
 */
@Component("problems")
public class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    /** Set by a route before it validates a canonical event (as opposed to the sender's own payload). */
    public static final String STAGE_PROPERTY = "esbValidationStage";
    /**
     * Set by a check that recorded a signature as used ({@code String[]{source, digest}}): the request was not
     * accepted after all, so its signature is released and the sender may send it again as it is.
     */
    public static final String RELEASE_NONCE = "esbIntakeNonce";

    private final ObjectMapper json;
    private final IntakeNonces nonces;

    public Problems(ObjectMapper json, IntakeNonces nonces) {
        this.json = json;
        this.nonces = nonces;
    }

    public String handle(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String[] nonce = exchange.getProperty(RELEASE_NONCE, String[].class);
        if (nonces != null && nonce != null) {
            try {
                nonces.release(nonce[0], nonce[1]);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the signature of a refused request: {}", e.getMessage());
            }
        }
        String correlationId = exchange.getMessage().getHeader("ce_correlationid", String.class);
        // nothing of the request goes back: no header the caller sent is reflected in the answer
        exchange.getMessage().removeHeaders("*");
        ObjectNode problem = json.createObjectNode();
        int status;
        if (cause instanceof ProblemException answer) {
            status = answer.status();
            problem.put("type", answer.type());
            problem.put("title", answer.title());
            problem.put("detail", answer.getMessage());
            answer.headers().forEach((name, value) -> exchange.getMessage().setHeader(name, value));
            if (!answer.violations().isEmpty()) {
                ArrayNode violations = problem.putArray("violations");
                answer.violations().forEach(v -> violations.addObject()
                        .put("field", v.field()).put("keyword", v.keyword()).put("message", v.message()));
            }
        } else if (cause instanceof NoJsonBodyValidationException) {
            status = 400;
            problem.put("type", "urn:conduit:problem:malformed-json");
            problem.put("title", "Body is empty");
            problem.put("detail", "A JSON document is required");
        } else if (isMalformedJson(cause)) {
            status = 400;
            problem.put("type", "urn:conduit:problem:malformed-json");
            problem.put("title", "Body is not well-formed JSON");
            problem.put("detail", rootMessage(cause));
        } else if (cause instanceof JsonValidationException invalid) {
            boolean canonical = "canonical".equals(exchange.getProperty(STAGE_PROPERTY, String.class));
            status = canonical ? 422 : 400;
            problem.put("type", canonical ? "urn:conduit:problem:unprocessable" : "urn:conduit:problem:invalid-payload");
            problem.put("title", canonical ? "Payload cannot be turned into a valid canonical event"
                    : "Payload violates the schema");
            problem.put("detail", invalid.getNumberOfErrors() + " violation(s)");
            ArrayNode violations = problem.putArray("violations");
            invalid.getErrors().stream()
                    .sorted(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())))
                    .forEach(m -> violations.addObject()
                            .put("field", String.valueOf(m.getInstanceLocation()))
                            .put("keyword", m.getType())
                            .put("message", m.getMessage()));
        } else if (cause instanceof MappingException) {
            status = 422;
            problem.put("type", "urn:conduit:problem:unprocessable");
            problem.put("title", "Payload could not be mapped");
            problem.put("detail", cause.getMessage());
        } else {
            status = 503;
            problem.put("type", "urn:conduit:problem:not-accepted");
            problem.put("title", "Message not accepted; nothing was stored, please retry");
            problem.put("detail", cause == null ? "unknown" : cause.getClass().getSimpleName());
            exchange.getMessage().setHeader("Retry-After", "30");
            LOG.error("Intake route {} could not accept a message", exchange.getFromRouteId(), cause);
        }
        problem.put("status", status);
        if (correlationId != null) {
            problem.put("correlationId", correlationId);
        }
        exchange.getMessage().removeHeaders("ce_*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        return problem.toString();
    }

    private static boolean isMalformedJson(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}
