package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of ports {@code erp.book-trip-commitment} and {@code erp.release-trip-commitment}
 * (adapters/erp/PORTS.md), run against every ERP adapter that implements them: the sandbox (always) and a real Tryton
 * 6 with modules account and analytic_account (started by {@code ops/real-systems/start.sh}; skipped with a message
 * when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the ports as the
 * approvals flow is to call them - the booking with the approved trip (a canonical ApprovalRequest BUSINESS_TRIP, its
 * decision id {@code <requestId>@<sourceVersion>}), the release with the trip - on a cost centre of its own, and reads
 * back what the ERP holds: the commitment and the cost centre's committed amount (the sandbox's budget line; Tryton's
 * move lines and the analytic account's debit and credit, which Tryton computes). Where the ERP keeps no budgets
 * (Tryton 6.0) the remaining budget is null: see {@code keepsCostCentreBudgets}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpTripCommitmentPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULT = Path.of("adapters/erp/trip-commitment-result.schema.json");

    @Autowired
    private CamelContext esb;

    private final List<ErpTripCommitmentsUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startTrytonIfAvailable().ifPresent(erp -> {
            adapters.add(erp);
            started.add(erp);
        });
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpTripCommitmentsUnderTest adapter(String name) {
        ErpTripCommitmentsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        if (found instanceof TrytonErp tryton && tryton.whyNoTrips() != null) {
            if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
                throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + tryton.whyNoTrips());
            }
            Assumptions.abort("ERP adapter 'tryton' skipped: " + tryton.whyNoTrips());
        }
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aCommitmentIsBookedOnceOnItsCostCentreAndReleasedOnce(String name) throws Exception {
        ErpTripCommitmentsUnderTest erp = adapter(name);
        String costCentre = erp.costCentre("SALES", "10000", "EUR");
        String tripId = tripId();

        JsonNode booked = erp.bookTripCommitment(approvedTrip(tripId, 2, costCentre, "1450.00", "300.00", "EUR"));
        assertResult(booked, tripId, "BOOKED", "BOOKED");
        assertThat(booked.path("decisionId").asText()).isEqualTo(tripId + "@2");
        assertThat(booked.path("costCentre").asText()).isEqualTo(costCentre);
        assertThat(booked.path("amount").decimalValue()).isEqualByComparingTo("1450");
        assertThat(booked.path("advance").decimalValue()).isEqualByComparingTo("300");
        assertRemaining(erp, booked, "8550");
        assertThat(erp.committedOn(costCentre)).isEqualByComparingTo("1450");
        ErpTripCommitmentsUnderTest.Commitment held = erp.commitment(tripId);
        assertThat(held.decisionId()).isEqualTo(tripId + "@2");
        assertThat(held.amount()).isEqualByComparingTo("1450");
        assertThat(held.advance()).isEqualByComparingTo("300");

        JsonNode again = erp.bookTripCommitment(approvedTrip(tripId, 2, costCentre, "1450.00", "300.00", "EUR"));
        assertResult(again, tripId, "DUPLICATE", "BOOKED");
        assertThat(erp.committedOn(costCentre)).as("booked once").isEqualByComparingTo("1450");
        assertThat(erp.commitment(tripId)).isEqualTo(held);

        JsonNode released = erp.releaseTripCommitment(tripId, "trip cancelled");
        assertResult(released, tripId, "RELEASED", "RELEASED");
        assertRemaining(erp, released, "10000");
        assertThat(erp.committedOn(costCentre)).isEqualByComparingTo("0");
        assertThat(erp.commitment(tripId).decisionId()).as("the release keeps what was booked").isEqualTo(tripId + "@2");

        assertResult(erp.releaseTripCommitment(tripId, "trip cancelled"), tripId, "DUPLICATE", "RELEASED");
        assertThat(erp.committedOn(costCentre)).as("released once").isEqualByComparingTo("0");
        JsonNode late = erp.bookTripCommitment(approvedTrip(tripId, 2, costCentre, "1450.00", "300.00", "EUR"));
        assertResult(late, tripId, "DUPLICATE", "RELEASED");
        assertThat(erp.committedOn(costCentre)).as("a released commitment is never booked again").isEqualByComparingTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aReleaseBeforeTheBookingIsKeptSoTheLateBookingBooksNothing(String name) throws Exception {
        ErpTripCommitmentsUnderTest erp = adapter(name);
        String costCentre = erp.costCentre("IT", "5000", "EUR");
        String tripId = tripId();

        JsonNode released = erp.releaseTripCommitment(tripId, "cancelled while the approval was applied");
        assertResult(released, tripId, "NOT_BOOKED", "RELEASED");
        assertThat(released.path("decisionId").isNull()).isTrue();
        assertThat(released.path("amount").decimalValue()).isEqualByComparingTo("0");

        JsonNode late = erp.bookTripCommitment(approvedTrip(tripId, 1, costCentre, "800.00", "0.00", "EUR"));
        assertResult(late, tripId, "ALREADY_RELEASED", "RELEASED");
        assertThat(erp.committedOn(costCentre)).isEqualByComparingTo("0");
        assertThat(erp.commitment(tripId).decisionId()).as("nothing booked").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anUnknownCostCentreAnotherCurrencyOrASecondApprovalIsPermanentAndBooksNothing(String name) throws Exception {
        ErpTripCommitmentsUnderTest erp = adapter(name);
        String costCentre = erp.costCentre("SALES", "10000", "EUR");

        String unknown = tripId();
        assertThat(rootOf(catchThrowable(() -> erp.bookTripCommitment(
                approvedTrip(unknown, 1, "NO-SUCH-CC", "100.00", "0.00", "EUR"))))).isInstanceOf(NotRetryableException.class);
        assertThat(erp.commitment(unknown)).isNull();

        String dollars = tripId();
        assertThat(rootOf(catchThrowable(() -> erp.bookTripCommitment(
                approvedTrip(dollars, 1, costCentre, "100.00", "0.00", "USD"))))).isInstanceOf(NotRetryableException.class);
        assertThat(erp.commitment(dollars)).isNull();

        String twice = tripId();
        assertResult(erp.bookTripCommitment(approvedTrip(twice, 1, costCentre, "100.00", "0.00", "EUR")), twice, "BOOKED", "BOOKED");
        assertThat(rootOf(catchThrowable(() -> erp.bookTripCommitment(
                approvedTrip(twice, 2, costCentre, "150.00", "0.00", "EUR"))))).as("one commitment per trip")
                .isInstanceOf(NotRetryableException.class);
        assertThat(erp.committedOn(costCentre)).isEqualByComparingTo("100");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anErpThatCannotBeReachedIsARetryableFailureOfBothPorts(String name) throws Exception {
        ErpTripCommitmentsUnderTest erp = adapter(name);
        String costCentre = erp.costCentre("SALES", "10000", "EUR");
        String tripId = tripId();
        String approved = approvedTrip(tripId, 1, costCentre, "250.00", "0.00", "EUR");

        Throwable book = erp.whileCommitmentsDown(() -> catchThrowable(() -> erp.bookTripCommitment(approved)));
        Throwable release = erp.whileCommitmentsDown(() -> catchThrowable(() -> erp.releaseTripCommitment(tripId, "x")));

        for (Throwable failure : List.of(book, release)) {
            assertThat(failure).isNotNull();
            assertThat(rootOf(failure)).isNotInstanceOf(NotRetryableException.class);
        }
        assertThat(erp.commitment(tripId)).isNull();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertResult(erp.bookTripCommitment(approved), tripId, "BOOKED", "BOOKED"));
        assertThat(erp.committedOn(costCentre)).isEqualByComparingTo("250");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aCallThatStoppedAfterItsFirstWriteIsCompletedByTheNextCall(String name) throws Exception {
        ErpTripCommitmentsUnderTest erp = adapter(name);
        String costCentre = erp.costCentre("SALES", "10000", "EUR");
        String tripId = tripId();
        String approved = approvedTrip(tripId, 1, costCentre, "640.00", "100.00", "EUR");
        String release = JSON.writeValueAsString(java.util.Map.of("tripId", tripId, "reason", "trip cancelled"));

        Throwable booking = erp.stopAfterFirstWrite("book", approved);
        Assumptions.assumeTrue(booking != null, () -> "ERP adapter '" + name + "' writes a booking in one transaction");
        assertThat(rootOf(booking)).as("a lost connection is retried").isNotInstanceOf(NotRetryableException.class);
        assertThat(erp.commitment(tripId).erpStatus()).as("the first write is there").isEqualTo("draft");

        assertResult(erp.bookTripCommitment(approved), tripId, "BOOKED", "BOOKED");
        assertThat(erp.commitment(tripId).erpStatus()).isEqualTo("posted");
        assertThat(erp.committedOn(costCentre)).as("booked once").isEqualByComparingTo("640");

        Throwable releasing = erp.stopAfterFirstWrite("release", release);
        assertThat(releasing).as("the release stopped").isNotNull();
        assertThat(rootOf(releasing)).isNotInstanceOf(NotRetryableException.class);
        assertResult(erp.releaseTripCommitment(tripId, "trip cancelled"), tripId, "RELEASED", "RELEASED");
        assertResult(erp.releaseTripCommitment(tripId, "trip cancelled"), tripId, "DUPLICATE", "RELEASED");
        assertThat(erp.committedOn(costCentre)).as("released once").isEqualByComparingTo("0");
        assertThat(erp.commitment(tripId).erpStatus()).isEqualTo("cancelled");
    }

    // --- helpers

    private static String tripId() {
        return "TR-CT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    /** The approved trip as the approvals flow holds it: the canonical ApprovalRequest of the version decided. */
    private static String approvedTrip(String tripId, int version, String costCentre, String cost, String advance,
                                       String currency) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("requestId", tripId);
        r.put("journey", "BUSINESS_TRIP");
        r.put("source", "oa");
        r.put("sourceVersion", version);
        r.put("status", "PENDING");
        r.put("department", "SALES");
        r.put("requestedBy", "E-CT-1");
        r.put("amount", new BigDecimal(cost));
        r.put("currency", currency);
        r.put("title", "Business trip " + tripId);
        ObjectNode t = r.putObject("subject");
        t.put("tripId", tripId);
        t.put("employeeId", "E-CT-1");
        t.put("employeeName", "Contract Test");
        t.put("department", "SALES");
        t.put("costCentre", costCentre);
        t.putObject("destination").put("city", "Lyon").put("country", "FR");
        t.put("purpose", "Customer workshop");
        t.put("startDate", "2026-12-07");
        t.put("endDate", "2026-12-09");
        t.put("transport", "TRAIN");
        t.put("estimatedCost", new BigDecimal(cost));
        t.put("advanceRequested", new BigDecimal(advance));
        t.put("currency", currency);
        r.put("changedAt", "2026-11-20T09:15:02.000Z");
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.APPROVAL_REQUEST), r)).isEmpty();
        return JSON.writeValueAsString(r);
    }

    private static void assertResult(JsonNode result, String tripId, String outcome, String status) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(RESULT), result)).isEmpty();
        assertThat(result.path("tripId").asText()).isEqualTo(tripId);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("status").asText()).isEqualTo(status);
    }

    /** The cost centre's remaining budget after the call; null where the ERP keeps no budgets (never an invented one). */
    private static void assertRemaining(ErpTripCommitmentsUnderTest erp, JsonNode result, String remaining) {
        if (erp.keepsCostCentreBudgets()) {
            assertThat(result.path("remainingBudget").decimalValue()).isEqualByComparingTo(remaining);
        } else {
            assertThat(result.path("remainingBudget").isNull()).as("remainingBudget present and null").isTrue();
        }
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
