package io.conduit.esb.parking;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** Read access to the parked messages for admins: {@code GET /api/v1/ops/parked?flow=&businessKey=&status=}. */
@RestController
@RequestMapping("/api/v1/ops/parked")
public class ParkedMessagesController {

    private final JdbcTemplate jdbc;

    public ParkedMessagesController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<Map<String, Object>> list(@RequestParam(required = false) String flow,
                                          @RequestParam(required = false) String businessKey,
                                          @RequestParam(defaultValue = "PARKED") String status,
                                          @RequestParam(defaultValue = "100") int limit) {
        return jdbc.queryForList("""
                SELECT id, flow, route_id, failed_endpoint, reason, exception_type, payload, headers::text AS headers,
                       event_id, correlation_id, business_key, attempts, status, parked_at
                  FROM esb.parked_message
                 WHERE status = ?
                   AND (?::text IS NULL OR flow = ?)
                   AND (?::text IS NULL OR business_key = ?)
                 ORDER BY parked_at DESC
                 LIMIT ?""", status, flow, flow, businessKey, businessKey, Math.min(Math.max(limit, 1), 1000));
    }
}
