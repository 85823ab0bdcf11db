package io.conduit.esb.intake;

import java.util.List;
import java.util.Map;

/**
 * An intake check refused the request with a definite HTTP status (401, 403, 404, 413, 415, 422, 429, ...).
 * Thrown by beans inside intake routes; {@link Problems} turns it into the problem+json answer with the given
 * status, type and extra response headers (e.g. {@code Retry-After}).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final transient Map<String, String> headers;
    private final transient List<Violation> violations;

    /** One refused field: its JSON path ({@code $.data.accountName}) and why. */
    public record Violation(String field, String keyword, String message) { }

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public ProblemException(int status, String type, String title, String detail, Map<String, String> headers) {
        this(status, type, title, detail, headers, List.of());
    }

    public ProblemException(int status, String type, String title, String detail, Map<String, String> headers,
                            List<Violation> violations) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.headers = headers;
        this.violations = violations;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public List<Violation> violations() {
        return violations;
    }
}
