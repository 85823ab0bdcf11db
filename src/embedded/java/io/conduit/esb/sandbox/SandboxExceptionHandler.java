package io.conduit.esb.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error of the sandbox controllers (and only theirs) as {@code application/problem+json}:
 * Spring MVC's own errors through {@link ResponseEntityExceptionHandler}, plus invalid arguments (400),
 * duplicate keys (409) and database failures (503 when the simulated ERP database is failing, else 500).
 */
@RestControllerAdvice(basePackages = "io.conduit.esb.sandbox")
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class SandboxExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxExceptionHandler.class);

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Object> invalidArgument(IllegalArgumentException e, WebRequest request) {
        return problem(SandboxProblems.badRequest(e.getMessage()), request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    public ResponseEntity<Object> duplicate(DuplicateKeyException e, WebRequest request) {
        return problem(SandboxProblems.conflict(NestedExceptionUtils.getMostSpecificCause(e).getMessage()), request);
    }

    @ExceptionHandler(DataAccessResourceFailureException.class)
    public ResponseEntity<Object> databaseUnavailable(DataAccessResourceFailureException e, WebRequest request) {
        LOG.warn("Sandbox database call failed: {}", NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        return problem(SandboxProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                "Database unavailable", NestedExceptionUtils.getMostSpecificCause(e).getMessage()), request);
    }

    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<Object> databaseError(DataAccessException e, WebRequest request) {
        LOG.error("Sandbox database call failed", e);
        return problem(SandboxProblems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "database-error", "Database error",
                NestedExceptionUtils.getMostSpecificCause(e).getMessage()), request);
    }

    /** Keeps the reason Jackson gave (e.g. an unknown fault mode) instead of a bare "Failed to read request". */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
                "Unreadable request body: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
        body.setType(java.net.URI.create(SandboxProblems.TYPE_BASE + "unreadable-body"));
        body.setTitle("Unreadable request body");
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    private ResponseEntity<Object> problem(ErrorResponseException e, WebRequest request) {
        return handleExceptionInternal(e, e.getBody(), e.getHeaders(), e.getStatusCode(), request);
    }
}
