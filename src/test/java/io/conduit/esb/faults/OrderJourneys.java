package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.faults.RetryingSender.GivenUp;
import io.conduit.esb.faults.RetryingSender.Rejected;
import io.conduit.esb.support.Sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order handoff as a retrying CRM drives it, and the order-by-order check afterwards.
 * <p>
 * Driving one order: create the opportunity in the sandbox CRM, win it, and post the "closed won" webhook to the
 * ESB's intake, signed as the CRM signs it, again and again until the ESB answers 202 (a connection refused, a
 * timeout, 503 while starting, a 5xx: all retried with backoff, a fresh signature each time). A third of the orders
 * is then changed once more (a new revision: another quantity, another amount) and a tenth of those a third time,
 * each posted the same way a few hundred milliseconds later, so revisions race each other through the ESB. The
 * sandbox CRM's own webhook sender is off in the suite: it is not durable, and the suite is the CRM that retries.
 * <p>
 * Checking an order (SQL on the CRM's and the ERP's tables once everything is quiet): exactly one ERP sales order
 * with the last accepted revision and its amount; the CRM shows that order's number and status, from an
 * acknowledgement written no earlier than the ERP's last write of the order (an older revision's acknowledgement
 * applied last would be earlier: stale).
 */
final class OrderJourneys {

    static final String CRM_SECRET = "dev-crm-webhook-secret";

    private final RetryingSender sender;
    private final String run;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> acceptedRevision = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> acceptedAmount = new ConcurrentHashMap<>();
    private final AtomicInteger notAccepted = new AtomicInteger();
    private final java.util.Queue<String> rejected = new java.util.concurrent.ConcurrentLinkedQueue<>();

    OrderJourneys(String baseUrl, String run) {
        this(List.of(baseUrl), run);
    }

    /** Against several replicas of the ESB behind one address (see {@link RetryingSender#RetryingSender(List)}). */
    OrderJourneys(List<String> baseUrls, String run) {
        this.sender = new RetryingSender(baseUrls);
        this.run = run;
    }

    String orderId(int i) {
        return String.format("FS%s-%06d", run, i);
    }

    /** Drives order {@code i} to the end of its revisions; never throws (a call given up is counted). */
    void drive(int i) {
        String id = orderId(i);
        try {
            sender.asUser("POST", "/sandbox/crm/api/opportunities", opportunity(id, 0, null));
            JsonNode won = sender.asUser("POST", "/sandbox/crm/api/opportunities/" + id + "/win", null);
            if (won == null || !won.has("revision")) {
                won = sender.asUser("GET", "/sandbox/crm/api/opportunities/" + id, null);
            }
            post(id, won);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int changes = random.nextDouble() < 0.3 ? (random.nextDouble() < 0.1 ? 2 : 1) : 0;
            for (int change = 1; change <= changes; change++) {
                Thread.sleep(random.nextInt(50, 500));
                JsonNode changed = sender.asUser("PUT", "/sandbox/crm/api/opportunities/" + id,
                        opportunity(id, change, won.path("closeDate").asText(null)));
                post(id, changed);
            }
        } catch (Rejected e) {
            rejected.add(id + ": " + e.getMessage());
        } catch (GivenUp | InterruptedException e) {
            notAccepted.incrementAndGet();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void post(String id, JsonNode opportunity) throws GivenUp, Rejected, InterruptedException {
        int revision = opportunity.path("revision").asInt();
        ObjectNode event = json.createObjectNode();
        event.put("eventId", "fs-" + id + "-r" + revision);
        event.put("eventType", "opportunity.closed_won");
        event.put("occurredAt", Instant.now().toString());
        event.set("data", opportunity);
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        sender.signed(CRM_SECRET, "/api/v1/crm/webhooks/opportunity-won", body);
        acceptedRevision.merge(id, revision, Math::max);
        if (acceptedRevision.get(id) == revision) {
            acceptedAmount.put(id, new BigDecimal(opportunity.path("amount").asText()));
        }
    }

    /** One order's opportunity: two lines, the first one's quantity growing with each change (won: its close date). */
    private byte[] opportunity(String id, int change, String closeDate) {
        int qty = 10 + change;
        String amount = new BigDecimal(qty * 100).add(new BigDecimal("234.50")).setScale(2).toPlainString();
        String body = """
                {"opportunityId":"%s","accountNo":"ACC-204","accountName":"Acme GmbH","currencyCode":"EUR",\
                "amount":"%s",%s"deliveryDate":"%s","products":[\
                {"lineNo":1,"sku":"P-100","productName":"Steel bracket","qty":"%d","unitPrice":"100.00"},\
                {"lineNo":2,"sku":"P-200","productName":"Bolt set","qty":"5","unitPrice":"46.90"}]}"""
                .formatted(id, amount, closeDate == null ? "" : "\"closeDate\":\"" + closeDate + "\",",
                        Sandbox.deliveryDate(), qty);
        return body.getBytes(StandardCharsets.UTF_8);
    }

    int accepted() {
        return acceptedRevision.size();
    }

    int notAccepted() {
        return notAccepted.get() + rejected.size();
    }

    /** Orders a call of which was refused (4xx): what was refused and the answer. */
    List<String> rejected() {
        return List.copyOf(rejected);
    }

    /** The driver's sender: its retries, attempts and the answers it got. */
    RetryingSender sender() {
        return sender;
    }

    /** Orders whose CRM shows the ERP's number and status for the last accepted revision (the quiescence signal). */
    int complete(Connection db) throws SQLException {
        return (int) check(db).stream().filter(OrderState::crmLatest).count();
    }

    List<OrderState> check(Connection db) throws SQLException {
        String sql = """
                SELECT o.opportunity_id, o.erp_order_no, o.erp_status, o.erp_synced_at,
                       (SELECT count(*) FROM erp.so_stage_hdr x WHERE x.ext_ref = o.opportunity_id) AS erp_rows,
                       h.so_no, h.ext_rev, h.tot_amt, h.stat_cd, coalesce(h.upd_ts, h.crt_ts) AS written_at,
                       (SELECT count(DISTINCT s.erp_order_no) FROM sandbox_crm.erp_status_history s
                         WHERE s.opportunity_id = o.opportunity_id) AS crm_numbers,
                       (SELECT count(*) FROM sandbox_crm.erp_status_history s
                         WHERE s.opportunity_id = o.opportunity_id) AS crm_updates
                  FROM sandbox_crm.opportunity o
                  LEFT JOIN erp.so_stage_hdr h ON h.ext_ref = o.opportunity_id
                 WHERE o.opportunity_id LIKE ?
                """;
        List<OrderState> states = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, "FS" + run + "-%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString("opportunity_id");
                    Integer revision = acceptedRevision.get(id);
                    if (revision == null) {
                        continue;
                    }
                    states.add(new OrderState(id, revision, acceptedAmount.get(id), rows.getInt("erp_rows"),
                            rows.getString("so_no"), (Integer) rows.getObject("ext_rev"), rows.getBigDecimal("tot_amt"),
                            trim(rows.getString("stat_cd")), rows.getTimestamp("written_at"),
                            rows.getString("erp_order_no"), rows.getString("erp_status"),
                            rows.getTimestamp("erp_synced_at"), rows.getInt("crm_numbers"), rows.getInt("crm_updates")));
                }
            }
        }
        return states;
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    private static String trim(String text) {
        return text == null ? null : text.trim();
    }

    /** What the CRM and the ERP hold for one accepted order. */
    record OrderState(String id, int acceptedRevision, BigDecimal acceptedAmount, int erpRows, String soNo,
                      Integer erpRevision, BigDecimal erpAmount, String erpStatusCode, Timestamp erpWrittenAt,
                      String crmOrderNo, String crmStatus, Timestamp crmSyncedAt, int crmOrderNumbers,
                      int crmUpdates) {

        /** The ERP has this order once, at the last revision the CRM got a 202 for, with that revision's amount. */
        boolean erpExactlyOnce() {
            return erpRows == 1 && erpRevision != null && erpRevision == acceptedRevision
                    && acceptedAmount != null && erpAmount != null && erpAmount.compareTo(acceptedAmount) == 0;
        }

        /** Accepted, but the ERP has no order or an older revision. */
        boolean lost() {
            return erpRows == 0 || (erpRevision != null && erpRevision < acceptedRevision);
        }

        /** More than one ERP order, or the CRM was given more than one ERP order number. */
        boolean duplicated() {
            return erpRows > 1 || crmOrderNumbers > 1;
        }

        /** The CRM shows the ERP's number and status, acknowledged after the ERP's last write of the order. */
        boolean crmLatest() {
            return erpExactlyOnce() && soNo != null && soNo.equals(crmOrderNo)
                    && expectedCrmStatus(erpStatusCode).equals(crmStatus)
                    && crmSyncedAt != null && erpWrittenAt != null
                    // the acknowledgement's time has milliseconds, the ERP's microseconds
                    && crmSyncedAt.getTime() + 1 >= erpWrittenAt.getTime();
        }

        /** The ERP is right but the CRM shows something older (or nothing). */
        boolean stale() {
            return erpExactlyOnce() && !crmLatest();
        }

        private static String expectedCrmStatus(String erpCode) {
            return switch (erpCode == null ? "" : erpCode) {
                case "NEW", "REL" -> "Booked";
                case "PRD" -> "In Production";
                default -> String.valueOf(erpCode);
            };
        }
    }
}
