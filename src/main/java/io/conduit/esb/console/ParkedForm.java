package io.conduit.esb.console;

import io.conduit.esb.parking.ParkedFilter;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The parked-messages page's filter, plus the messages ticked in its table.
 *
 * @param ids         the ticked messages
 * @param allMatching the operator chose "every message matching the filter" instead of ticking
 */
public record ParkedForm(String flow, String reason, String businessKey,
                         @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
                         @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
                         String status, List<UUID> ids, Boolean allMatching) {

    public ParkedForm {
        ids = ids == null ? List.of() : List.copyOf(ids);
        status = status == null || status.isBlank() ? "PARKED" : status.trim().toUpperCase();
    }

    /** What the filter fields ask for (ignores the ticks). */
    public ParkedFilter filter() {
        return new ParkedFilter(null, ConsoleForms.blankToNull(flow), ConsoleForms.blankToNull(reason),
                ConsoleForms.blankToNull(businessKey), ConsoleForms.utc(from), ConsoleForms.utc(to), status);
    }

    /**
     * What a bulk action applies to: every parked message matching the filter when the operator chose so, otherwise
     * exactly the ticked ones (only while still parked); null when neither was given.
     */
    public ParkedFilter selection() {
        if (Boolean.TRUE.equals(allMatching)) {
            ParkedFilter f = filter();
            return new ParkedFilter(null, f.flow(), f.reason(), f.businessKey(), f.from(), f.to(), "PARKED");
        }
        if (ids.isEmpty()) {
            return null;
        }
        return new ParkedFilter(ids, null, null, null, null, null, "PARKED");
    }

    /** The filter as a query string, for links and for the table's refresh. */
    public String query() {
        UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
        add(uri, "flow", flow);
        add(uri, "reason", reason);
        add(uri, "businessKey", businessKey);
        add(uri, "from", from == null ? null : from.toString());
        add(uri, "to", to == null ? null : to.toString());
        add(uri, "status", status);
        String query = uri.encode().build().getQuery();
        return query == null ? "" : query;
    }

    private static void add(UriComponentsBuilder uri, String name, String value) {
        if (value != null && !value.isBlank()) {
            uri.queryParam(name, value.trim());
        }
    }
}
