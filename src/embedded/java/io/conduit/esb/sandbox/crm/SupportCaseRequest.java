package io.conduit.esb.sandbox.crm;

import io.conduit.esb.sandbox.SandboxProblems;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The body of {@code POST /sandbox/crm/api/cases}: a new case as a service agent records it. */
public record SupportCaseRequest(String caseNumber, String accountNo, String accountName, String accountTier,
                                 String relatedOpportunityId, String categoryCode, String priority, String origin,
                                 String subject, String description, String productSku, String productName,
                                 String productLine) {

    public static final Set<String> PRIORITIES = Set.of("Low", "Medium", "High", "Urgent");
    public static final Set<String> ORIGINS = Set.of("Email", "Phone", "Web", "Chat");
    public static final Set<String> TIERS = Set.of("Standard", "Gold", "Platinum");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,16}");

    /** @throws org.springframework.web.ErrorResponseException 400 listing missing, else invalid, fields */
    public SupportCaseRequest validated() {
        List<String> missing = new ArrayList<>();
        for (var field : Map.of("accountNo", nz(accountNo), "accountName", nz(accountName), "categoryCode",
                nz(categoryCode), "priority", nz(priority), "origin", nz(origin), "description", nz(description)).entrySet()) {
            if (field.getValue().isBlank()) {
                missing.add(field.getKey());
            }
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing.stream().sorted().toList());
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (caseNumber != null && !ID.matcher(caseNumber).matches()) {
            invalid.put("caseNumber", "1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (!CODE.matcher(categoryCode).matches()) {
            invalid.put("categoryCode", "a picklist code: 1 to 16 upper-case letters, digits or '_'");
        }
        if (!PRIORITIES.contains(priority)) {
            invalid.put("priority", "one of " + PRIORITIES);
        }
        if (!ORIGINS.contains(origin)) {
            invalid.put("origin", "one of " + ORIGINS);
        }
        if (accountTier != null && !TIERS.contains(accountTier)) {
            invalid.put("accountTier", "one of " + TIERS);
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return this;
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
