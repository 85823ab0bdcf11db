package io.conduit.esb.sandbox;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The RFC 9457 problems the simulated systems answer with, as {@link ErrorResponseException}s that Spring MVC
 * renders as {@code application/problem+json}. Types are URNs under {@value #TYPE_BASE}.
 */
public final class SandboxProblems {

    public static final String TYPE_BASE = "urn:conduit:sandbox:problem:";

    private SandboxProblems() {
    }

    public static ErrorResponseException notFound(String what, String id) {
        return problem(HttpStatus.NOT_FOUND, "not-found", what + " not found", what + " '" + id + "' does not exist");
    }

    /** 400 listing the required fields that were absent or blank in {@code missingFields}. */
    public static ErrorResponseException missingFields(List<String> missingFields) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "missing-fields", "Missing required fields",
                "Required fields are missing: " + String.join(", ", missingFields));
        e.getBody().setProperty("missingFields", missingFields);
        return e;
    }

    /** 400 naming each invalid field with the reason in {@code invalidFields}. */
    public static ErrorResponseException invalidFields(Map<String, String> invalidFields) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "invalid-fields", "Invalid fields",
                "Invalid fields: " + String.join(", ", invalidFields.keySet()));
        e.getBody().setProperty("invalidFields", invalidFields);
        return e;
    }

    public static ErrorResponseException badRequest(String detail) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
    }

    /**
     * 409 for a conditional write that carries an older state than the record holds (its sync time is earlier than
     * the stored one): nothing is written. A real CRM does this with its own conditional update (a version field, an
     * If-Unmodified-Since); it is what keeps a late request - one the caller gave up on - from overwriting a newer one.
     */
    public static ErrorResponseException staleUpdate(String what, String id, Object carried, Object held) {
        ErrorResponseException e = problem(HttpStatus.CONFLICT, "stale-update", "Older than the record",
                what + " '" + id + "' holds a state synced at " + held + "; this update carries " + carried
                        + ": not applied");
        e.getBody().setProperty("held", String.valueOf(held));
        return e;
    }

    public static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create(TYPE_BASE + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
