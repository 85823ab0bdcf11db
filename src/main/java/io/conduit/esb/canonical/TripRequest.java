package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A business trip an employee asks to make (schema {@code urn:conduit:schema:trip-request:1}), as the OA - which is
 * also the HR system - holds it: the {@code subject} of an {@link ApprovalRequest} of journey
 * {@link ApprovalJourney#BUSINESS_TRIP}. It carries what the ERP books once the trip is approved ({@code costCentre},
 * {@code estimatedCost} as the commitment, {@code advanceRequested} as the travel advance, {@code currency}) and what
 * attendance records as the absence ({@code employeeId}, {@code startDate} to {@code endDate}, both inclusive).
 */
public record TripRequest(String tripId,
                          String employeeId,
                          String employeeName,
                          String department,
                          String costCentre,
                          Destination destination,
                          String purpose,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate startDate,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate endDate,
                          Transport transport,
                          BigDecimal estimatedCost,
                          BigDecimal advanceRequested,
                          String currency) {

    /** Where the trip goes: a city and its ISO 3166-1 alpha-2 country. */
    public record Destination(String city, String country) {
    }

    /** How the traveller gets there (the main means). */
    public enum Transport {
        FLIGHT,
        TRAIN,
        CAR,
        OTHER
    }
}
