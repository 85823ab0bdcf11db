package io.conduit.esb.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Writes a refusal made before any route ran (signature, size, input gate, login, error pages) as RFC 9457
 * problem+json, built by a JSON serializer and never carrying the request's headers or body.
 */
public final class ProblemResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    public static ObjectNode body(ProblemException problem) {
        return body(problem.status(), problem.type(), problem.title(), problem.getMessage(), problem);
    }

    public static ObjectNode body(int status, String type, String title, String detail, ProblemException from) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (from != null && !from.violations().isEmpty()) {
            ArrayNode violations = body.putArray("violations");
            from.violations().forEach(v -> violations.addObject()
                    .put("field", v.field()).put("keyword", v.keyword()).put("message", v.message()));
        }
        return body;
    }

    public static void write(HttpServletResponse response, ProblemException problem) throws IOException {
        problem.headers().forEach(response::setHeader);
        write(response, problem.status(), body(problem));
    }

    public static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
