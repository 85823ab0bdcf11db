package io.conduit.esb.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The journal end to end: real flows through the embedded Kafka, Artemis and PostgreSQL and the sandbox systems
 * record their hops without any journal code in the routes, and a search by any business key finds the journey.
 */
class JournalIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    Journal journal;
    @Value("${esb.topics.names.orders}")
    String ordersTopic;
    @Value("${esb.topics.names.order-acks}")
    String acksTopic;

    @Test
    void orderJourneyIsFoundByCrmOrderIdAndByErpOrderNumber() {
        String id = "OPP-J" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.opportunity(id).path("erpOrderNo").isTextual());
        String soNo = sandbox.opportunity(id).path("erpOrderNo").asText();

        // the CRM update is journaled once its answer is in: wait for the last hop
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            journal.flush();
            assertThat(journal.journey(JournalQuery.byKey(id)))
                    .anyMatch(hop("order-handoff.ack-to-crm", Hop.DELIVERED));
        });

        for (String key : List.of(id, soNo)) {
            List<JournalEntry> journey = journal.journey(JournalQuery.byKey(key));
            assertThat(journey).as("journey by %s", key).extracting(JournalEntry::correlationId).doesNotContainNull()
                    .containsOnly(journey.get(0).correlationId());
            assertThat(journey).extracting(JournalEntry::flow).containsOnly("order-handoff");
            assertInOrder(journey,
                    hop("order-handoff.crm-intake", Hop.RECEIVED),
                    hop("order-handoff.crm-intake", Hop.VALIDATED),
                    hop("order-handoff.crm-intake", Hop.MAPPED),
                    hop("order-handoff.crm-intake", Hop.PUBLISHED).and(e -> e.target().contains(ordersTopic)),
                    hop("order-handoff.to-erp", Hop.RECEIVED).and(e -> e.source().contains(ordersTopic)),
                    hop("order-handoff.to-erp", Hop.DELIVERED).and(e -> "erp".equals(e.target()) && soNo.equals(e.targetId())),
                    hop("order-handoff.to-erp", Hop.PUBLISHED).and(e -> e.target().contains(acksTopic)),
                    hop("order-handoff.ack-to-crm", Hop.RECEIVED),
                    hop("order-handoff.ack-to-crm", Hop.DELIVERED).and(e -> "crm".equals(e.target()) && id.equals(e.targetId())));
        }
        // keys travel with the message: the ERP delivery and everything after it carry both numbers
        JournalEntry delivered = journal.journey(JournalQuery.byKey(id)).stream()
                .filter(hop("order-handoff.ack-to-crm", Hop.DELIVERED)).findFirst().orElseThrow();
        assertThat(delivered.keys()).containsEntry("orderId", id).containsEntry("erpOrderNo", soNo);
        assertThat(delivered.eventId()).isNotBlank();

        // the admin API answers the same journey
        JsonNode api = get("/api/v1/ops/journal/journey?key=" + soNo).getBody();
        assertThat(api).isNotNull();
        assertThat(api.size()).isEqualTo(journal.journey(JournalQuery.byKey(soNo)).size());
        assertThat(api.get(0).path("hop").asText()).isEqualTo("RECEIVED");
        JsonNode received = get("/api/v1/ops/journal?key=" + id + "&hop=received&flow=order-handoff").getBody();
        assertThat(received).isNotNull();
        assertThat(received.size()).isGreaterThanOrEqualTo(2);
        received.forEach(e -> assertThat(e.path("hop").asText()).isEqualTo("RECEIVED"));
    }

    @Test
    void onboardingJourneyIsFoundByEmployeeIdWithPersonalDataMasked() {
        String employee = "E-J" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        hrEvent(employee, "Journa Listova", "journa.listova@example.com", "Finance");

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            journal.flush();
            List<JournalEntry> journey = journal.journey(JournalQuery.byKey(employee));
            assertThat(journey).anyMatch(hop("employee-onboarding.to-erp", Hop.DELIVERED));
            assertThat(journey).anyMatch(hop("employee-onboarding.to-oa", Hop.DELIVERED));
        });
        List<JournalEntry> journey = journal.journey(JournalQuery.byKey(employee));
        assertThat(journey).anyMatch(hop("employee-onboarding.oa-intake", Hop.RECEIVED));
        assertThat(journey).anyMatch(hop("employee-onboarding.oa-intake", Hop.MAPPED));
        assertThat(journey).filteredOn(e -> e.payload() != null).isNotEmpty().allSatisfy(e -> {
            assertThat(e.payload()).doesNotContain("journa.listova@example.com").doesNotContain("Journa Listova")
                    .doesNotContain("Listova");
        });
        assertThat(journey).anyMatch(e -> e.payload() != null && e.payload().contains("***"));
        JournalEntry erp = journey.stream().filter(hop("employee-onboarding.to-erp", Hop.DELIVERED)).findFirst().orElseThrow();
        assertThat(erp.target()).isEqualTo("erp");
        assertThat(erp.targetId()).isNotBlank();
        assertThat(erp.keys()).containsEntry("employeeId", employee);
    }

    @Test
    void complaintIsFoundByItsComplaintId() {
        String caseNo = "CS-J" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Map<String, Object> body = new HashMap<>();
        body.put("caseNumber", caseNo);
        body.put("accountNo", "ACC-204");
        body.put("accountName", "Acme GmbH");
        body.put("accountTier", "Standard");
        body.put("categoryCode", "DMG");
        body.put("priority", "Medium");
        body.put("origin", "Email");
        body.put("subject", "Complaint " + caseNo);
        body.put("description", "Dented housing.");
        body.put("productSku", "P-100");
        body.put("productName", "Hydraulic pump HP-10");
        sandbox.http().post().uri("/sandbox/crm/api/cases").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toBodilessEntity();

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            journal.flush();
            List<JournalEntry> journey = journal.journey(JournalQuery.byKey(caseNo));
            assertInOrder(journey,
                    hop("complaint-routing.crm-intake", Hop.RECEIVED),
                    hop("complaint-routing.crm-intake", Hop.PUBLISHED),
                    hop("complaint-routing.to-oa", Hop.RECEIVED),
                    hop("complaint-routing.to-oa", Hop.DELIVERED).and(e -> "oa".equals(e.target())));
        });
        assertThat(journal.search(JournalQuery.byKey(caseNo))).allMatch(e -> caseNo.equals(e.keys().get("complaintId")));
    }

    @Test
    void failedAttemptsAreJournaledWhileTheCrmIsDownAndTheDeliveryOnceItIsBack() {
        sandbox.setFault("crm", "down", 0, 0);
        String employee = "E-J" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        hrEvent(employee, "Fay Ling", "fay.ling@example.com", "Service");

        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            journal.flush();
            assertThat(journal.search(new JournalQuery(employee, null, "employee-onboarding", Hop.FAILED, null, null, 50)))
                    .anyMatch(e -> "employee-onboarding.to-crm".equals(e.routeId()) || "employee-onboarding.crm-write".equals(e.routeId()));
        });
        sandbox.setFault("crm", "normal", 0, 0);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            journal.flush();
            assertThat(journal.journey(JournalQuery.byKey(employee)))
                    .anyMatch(hop("employee-onboarding.to-crm", Hop.DELIVERED).and(e -> "crm".equals(e.target())));
        });
        List<JournalEntry> journey = journal.journey(JournalQuery.byKey(employee));
        JournalEntry failed = journey.stream().filter(e -> e.hop() == Hop.FAILED).findFirst().orElseThrow();
        assertThat(failed.detail()).contains("will be retried").containsIgnoringCase("503");
        assertThat(failed.keys()).containsEntry("employeeId", employee);
        int firstFailed = journey.indexOf(failed);
        assertThat(journey.subList(firstFailed, journey.size()))
                .anyMatch(hop("employee-onboarding.to-crm", Hop.DELIVERED));
    }

    @Test
    void badSearchParametersAreAnsweredWithProblemJson() {
        for (String query : List.of("?hop=TELEPORTED", "?from=yesterday", "?limit=-1", "?limit=many",
                "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            ResponseEntity<String> answer = sandbox.http().get().uri("/api/v1/ops/journal" + query)
                    .headers(this::viewer).retrieve().onStatus(s -> true, (req, res) -> { })
                    .toEntity(String.class);
            assertThat(answer.getStatusCode().value()).as(query).isEqualTo(400);
            assertThat(answer.getHeaders().getContentType()).as(query)
                    .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void retentionDeletesOldEntriesInBatchesAndKeepsRecentOnes() {
        String flow = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            insert(flow, now.minus(Duration.ofDays(40)).plusSeconds(i));
        }
        insert(flow, now.minus(Duration.ofDays(29)));
        insert(flow, now.minusSeconds(5));

        JournalProperties settings = new JournalProperties();
        settings.getRetention().setMaxAge(Duration.ofDays(30));
        settings.getRetention().setBatchSize(3);
        settings.getRetention().setPause(Duration.ofMillis(1));
        List<Integer> batches = new ArrayList<>();
        JdbcTemplate counting = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int update(String sql, Object... args) {
                int rows = super.update(sql, args);
                batches.add(rows);
                return rows;
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long deleted = new JournalRetention(counting, settings, meters).purge();

        assertThat(deleted).isGreaterThanOrEqualTo(7);
        assertThat(batches).allMatch(rows -> rows <= 3).hasSizeGreaterThanOrEqualTo(3);
        assertThat(meters.counter("esb.journal.retention.deleted").count()).isEqualTo(deleted);
        assertThat(jdbc.queryForList("SELECT at FROM esb.journal_entry WHERE flow = ?", Timestamp.class, flow))
                .hasSize(2).allMatch(at -> at.toInstant().isAfter(now.minus(Duration.ofDays(30))));
    }

    @Test
    void entriesWithNulCharactersAreStoredAndSoAreTheirNeighbours() {
        String flow = "nul-" + UUID.randomUUID().toString().substring(0, 8);
        String suffix = UUID.randomUUID().toString();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        JdbcJournal writer = new JdbcJournal(jdbc, new ObjectMapper(), new JournalProperties(), meters);

        writer.record(entry(flow, "before", Map.of("orderId", "ORD-A-" + suffix), "{\"id\":1}"));
        // NUL in every text column, in a key's name and value (jsonb and text[]) and in the payload
        writer.record(new JournalEntry(0, Instant.now(), "corr\0" + suffix, "ev\0", flow, "route\0", "step\0",
                Hop.RECEIVED, "source\0", "target\0", "target-id\0", Map.of("order\0Id", "ORD\0" + suffix),
                "detail\0", "{\"name\":\"A\0B\"}", "actor\0"));
        // a lone surrogate (not valid UTF-16), and a key value too long for the GIN index (random, so it does not
        // compress below the limit)
        writer.record(entry(flow, "lone surrogate", Map.of("orderId", "ORD-S\uD800" + suffix), "x\uDC00y"));
        StringBuilder longKey = new StringBuilder();
        while (longKey.length() < 10_000) {
            longKey.append(UUID.randomUUID());
        }
        writer.record(entry(flow, "long key", Map.of("orderId", longKey.toString()), "{}"));
        writer.record(entry(flow, "after", Map.of("orderId", "ORD-B-" + suffix), "{\"id\":2}"));
        writer.flush();

        assertThat(meters.counter("esb.journal.write.failures").count()).isZero();
        assertThat(meters.counter("esb.journal.written").count()).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT step_id FROM esb.journal_entry WHERE flow = ?", String.class, flow))
                .containsExactlyInAnyOrder("before", "step\uFFFD", "lone surrogate", "long key", "after");
        // stored with U+FFFD in place of NUL; a search for the value as it was sent finds it
        for (String key : List.of("ORD\0" + suffix, "ORD\uFFFD" + suffix)) {
            assertThat(writer.search(JournalQuery.byKey(key))).as("search by %s", key).singleElement().satisfies(e -> {
                assertThat(e.correlationId()).isEqualTo("corr\uFFFD" + suffix);
                assertThat(e.eventId()).isEqualTo("ev\uFFFD");
                assertThat(e.routeId()).isEqualTo("route\uFFFD");
                assertThat(e.source()).isEqualTo("source\uFFFD");
                assertThat(e.target()).isEqualTo("target\uFFFD");
                assertThat(e.targetId()).isEqualTo("target-id\uFFFD");
                assertThat(e.keys()).containsExactly(Map.entry("order\uFFFDId", "ORD\uFFFD" + suffix));
                assertThat(e.detail()).isEqualTo("detail\uFFFD");
                assertThat(e.payload()).isEqualTo("{\"name\":\"A\uFFFDB\"}");
                assertThat(e.actor()).isEqualTo("actor\uFFFD");
            });
        }
        assertThat(writer.search(JournalQuery.byKey("ORD-B-" + suffix))).singleElement()
                .satisfies(e -> assertThat(e.payload()).isEqualTo("{\"id\":2}"));
        // the long key is kept cut (an index entry has a size limit); a search by the whole value finds it
        assertThat(writer.search(JournalQuery.byKey(longKey.toString()))).singleElement()
                .satisfies(e -> assertThat(e.keys()).containsEntry("orderId", longKey.substring(0, JdbcJournal.MAX_KEY_CHARS)));
    }

    @Test
    void aRowTheDatabaseRefusesIsTheOnlyEntryOfItsBatchThatIsLost() {
        String flow = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        JdbcJournal writer = new JdbcJournal(jdbc, new ObjectMapper(), new JournalProperties(), meters);

        // 250 entries in one batch (three multi-row statements); the 151st has a time PostgreSQL cannot store
        // (timestamptz ends in 294276 AD): its statement is refused as a whole
        for (int i = 0; i < 250; i++) {
            Instant at = i == 150 ? Instant.parse("+300000-01-01T00:00:00Z") : Instant.now();
            writer.record(new JournalEntry(0, at, "corr-" + flow, null, flow, "route", "entry-" + i, Hop.MAPPED, null,
                    null, null, Map.of("entry", flow + "-" + i), null, "{\"i\":" + i + "}", null));
        }
        writer.flush();

        assertThat(meters.counter("esb.journal.write.failures").count()).isEqualTo(1);
        assertThat(meters.counter("esb.journal.written").count()).isEqualTo(249);
        List<String> stored = jdbc.queryForList("SELECT step_id FROM esb.journal_entry WHERE flow = ?", String.class, flow);
        assertThat(stored).hasSize(249).doesNotContain("entry-150").contains("entry-0", "entry-149", "entry-151", "entry-249");
    }

    // --- helpers

    private static JournalEntry entry(String flow, String stepId, Map<String, String> keys, String payload) {
        return new JournalEntry(0, Instant.now(), "corr-" + flow, null, flow, "route", stepId, Hop.RECEIVED, null, null,
                null, keys, null, payload, null);
    }

    private void insert(String flow, Instant at) {
        jdbc.update("INSERT INTO esb.journal_entry (at, flow, hop, key_values) VALUES (?, ?, 'RECEIVED', ARRAY['k'])",
                Timestamp.from(at), flow);
    }

    private void hrEvent(String employeeNo, String fullName, String email, String department) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "HIRE");
        body.put("employeeNo", employeeNo);
        body.put("fullName", fullName);
        body.put("email", email);
        body.put("department", department);
        body.put("jobTitle", "Clerk");
        body.put("managerNo", "E-1");
        body.put("effectiveDate", "2026-12-01");
        ResponseEntity<JsonNode> created = sandbox.http().post().uri("/sandbox/oa/api/hr-events")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JsonNode.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
    }

    private ResponseEntity<JsonNode> get(String path) {
        return sandbox.http().get().uri(path).headers(this::viewer).retrieve().toEntity(JsonNode.class);
    }

    /** Read access as the VIEWER role (ignored while the API has no security). */
    private void viewer(HttpHeaders headers) {
        headers.setBasicAuth("viewer", "viewer");
    }

    private static Predicate<JournalEntry> hop(String routeId, Hop hop) {
        return e -> routeId.equals(e.routeId()) && e.hop() == hop;
    }

    /** Each expected hop occurs after the one before it. */
    @SafeVarargs
    private static void assertInOrder(List<JournalEntry> journey, Predicate<JournalEntry>... expected) {
        int from = 0;
        for (int i = 0; i < expected.length; i++) {
            int found = -1;
            for (int j = from; j < journey.size(); j++) {
                if (expected[i].test(journey.get(j))) {
                    found = j;
                    break;
                }
            }
            assertThat(found).as("hop %d of the expected journey, in %s", i + 1, describe(journey)).isNotNegative();
            from = found + 1;
        }
    }

    private static String describe(List<JournalEntry> journey) {
        StringBuilder text = new StringBuilder();
        journey.forEach(e -> text.append("\n  ").append(e.at()).append(' ').append(e.routeId()).append(' ').append(e.source()).append(' ')
                .append(e.stepId()).append(' ').append(e.hop()).append(" -> ").append(e.target()).append(" [")
                .append(e.targetId()).append("] ").append(e.keys()).append(' ').append(e.correlationId()));
        return text.toString();
    }
}
