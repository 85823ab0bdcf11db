package io.conduit.esb.intake;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Set;

/**
 * Which message headers an HTTP route may send back (component {@code platform-http}, set in application.yaml): only
 * the few an answer needs. Camel otherwise returns every header the exchange still carries, and those include the
 * request's own ({@code Authorization}, {@code X-Signature}, {@code Cookie}, {@code User-Agent}, ...) whenever a route
 * does not remove them, e.g. on an error path. An allowlist, not a denylist, so a route file added later cannot
 * reflect a header by forgetting to remove it. Incoming headers are filtered as Camel's HTTP components do.
 */
@Component("responseHeaders")
public class ResponseHeaders extends HttpHeaderFilterStrategy {

    /** Headers an answer of the ESB may carry (lower case). */
    static final Set<String> ALLOWED = Set.of("content-type", "location", "retry-after", "www-authenticate",
            "cache-control", "idempotent-replayed", "deprecation", "link");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
