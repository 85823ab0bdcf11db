package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One OA adapter under the contract tests of the business trip ports of role {@code oa}: {@code oa.trip-requests-since},
 * {@code oa.apply-trip-decision}, {@code oa.record-absence}, {@code oa.remove-absence}; and what the OA's users do
 * with trips (submit, change, cancel) and what its attendance shows.
 */
interface OaTripsUnderTest {

    String name();

    /** Calls port oa.trip-requests-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode tripRequestsSince(String watermark) throws Exception;

    /** Calls port oa.apply-trip-decision with a canonical ApprovalDecision; the port's result. */
    JsonNode applyTripDecision(String decision) throws Exception;

    /** Calls port oa.record-absence with the approved trip (a canonical ApprovalRequest BUSINESS_TRIP). */
    JsonNode recordAbsence(String approvedRequest) throws Exception;

    /** Calls port oa.remove-absence. */
    JsonNode removeAbsence(String tripId, String reason) throws Exception;

    /** An employee submits a trip (fields as in the sandbox OA's POST /trips); its number (the requestId). */
    String submitTrip(Map<String, Object> trip) throws Exception;

    /** The employee changes a waiting trip (a new revision). */
    void changeTrip(String tripId, Map<String, Object> change) throws Exception;

    /** The employee cancels the trip (waiting or approved). */
    void cancelTrip(String tripId, String reason) throws Exception;

    /** The trip as the OA holds it. */
    Trip trip(String tripId) throws Exception;

    /** The absences attendance holds for the trip (recorded or removed; at most one). */
    List<Absence> absences(String tripId) throws Exception;

    /** Runs the action while the OA cannot be reached. */
    <T> T whileTripsDown(Supplier<T> action) throws Exception;

    /** A trip as the OA shows it. */
    record Trip(int revision, String status, String decisionId, String decidedBy, String comment) {
    }

    /** An absence as attendance shows it. */
    record Absence(String employeeId, String from, String to, String status, String decisionId) {
    }

    /** A cost in the OA's terms, for building trips. */
    static Map<String, Object> trip(String employeeNo, String department, String costCentre, String cost, String advance) {
        Map<String, Object> trip = new java.util.LinkedHashMap<>();
        trip.put("employeeNo", employeeNo);
        trip.put("employeeName", "Contract Test " + employeeNo);
        trip.put("department", department);
        trip.put("costCentre", costCentre);
        trip.put("city", "Lyon");
        trip.put("country", "FR");
        trip.put("purpose", "Customer workshop");
        trip.put("startDate", java.time.LocalDate.now().plusDays(20).toString());
        trip.put("endDate", java.time.LocalDate.now().plusDays(22).toString());
        trip.put("transport", "TRAIN");
        trip.put("estimatedCost", new BigDecimal(cost));
        trip.put("advance", new BigDecimal(advance));
        trip.put("currency", "EUR");
        return trip;
    }
}
