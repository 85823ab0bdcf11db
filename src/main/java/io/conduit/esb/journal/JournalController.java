package io.conduit.esb.journal;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * Read-only journal search for admins.
 * <ul>
 *   <li>{@code GET /api/v1/ops/journal?key=&correlationId=&flow=&hop=&from=&to=&limit=}: matching entries, newest first;</li>
 *   <li>{@code GET /api/v1/ops/journal/journey?...}: every hop of the transactions the matching entries belong to,
 *       oldest first.</li>
 * </ul>
 * {@code from}/{@code to} are ISO-8601 instants ({@code 2026-05-01T10:00:00Z}); bad parameters answer 400 problem+json.
 */
@RestController
@RequestMapping("/api/v1/ops/journal")
public class JournalController {

    private final Journal journal;

    public JournalController(Journal journal) {
        this.journal = journal;
    }

    @GetMapping
    public List<JournalEntry> search(@RequestParam(required = false) String key,
                                     @RequestParam(required = false) String correlationId,
                                     @RequestParam(required = false) String flow,
                                     @RequestParam(required = false) String hop,
                                     @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to,
                                     @RequestParam(required = false) String limit) {
        return journal.search(query(key, correlationId, flow, hop, from, to, limit, false));
    }

    @GetMapping("/journey")
    public List<JournalEntry> journey(@RequestParam(required = false) String key,
                                      @RequestParam(required = false) String correlationId,
                                      @RequestParam(required = false) String flow,
                                      @RequestParam(required = false) String hop,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String limit) {
        return journal.journey(query(key, correlationId, flow, hop, from, to, limit, true));
    }

    static JournalQuery query(String key, String correlationId, String flow, String hop, String from, String to,
                              String limit, boolean needsCriterion) {
        Hop kind = null;
        if (hop != null && !hop.isBlank()) {
            try {
                kind = Hop.valueOf(hop.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new BadQuery("hop must be one of " + Arrays.toString(Hop.values()));
            }
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new BadQuery("from must be before to");
        }
        int max = 100;
        if (limit != null && !limit.isBlank()) {
            try {
                max = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new BadQuery("limit must be a whole number");
            }
            if (max < 1) {
                throw new BadQuery("limit must be at least 1");
            }
        }
        if (needsCriterion && blank(key) && blank(correlationId)) {
            throw new BadQuery("a journey needs key or correlationId");
        }
        return new JournalQuery(trim(key), trim(correlationId), trim(flow), kind, start, end, max);
    }

    private static Instant instant(String name, String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadQuery(name + " must be an ISO-8601 date-time with offset, e.g. 2026-05-01T10:00:00Z");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String trim(String text) {
        return blank(text) ? null : text.trim();
    }

    @ExceptionHandler(BadQuery.class)
    ProblemDetail badQuery(BadQuery e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("urn:conduit:problem:bad-query"));
        problem.setTitle("Bad journal query");
        return problem;
    }

    /** A search parameter that cannot be understood. */
    static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message, null, false, false);
        }
    }
}
