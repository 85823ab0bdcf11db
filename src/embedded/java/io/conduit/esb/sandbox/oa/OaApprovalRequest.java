package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.sandbox.SandboxProblems;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /sandbox/oa/api/approvals}: the task for one step of a request's approval.
 * {@code reference}, {@code version}, {@code step}, {@code journey}, {@code approverGroup}, {@code title} and
 * {@code text} are required; {@code level} defaults to 0 (the step itself; 1 = escalated one level up).
 */
public record OaApprovalRequest(String reference, Integer version, String fingerprint, Integer step, Integer level,
                                String journey, String approverGroup, String title, String text, JsonNode data,
                                Instant dueAt) {

    /** @throws org.springframework.web.ErrorResponseException 400 listing the missing fields */
    public OaApprovalRequest validated() {
        List<String> missing = new ArrayList<>();
        if (blank(reference)) {
            missing.add("reference");
        }
        if (version == null) {
            missing.add("version");
        }
        if (step == null) {
            missing.add("step");
        }
        if (blank(journey)) {
            missing.add("journey");
        }
        if (blank(approverGroup)) {
            missing.add("approverGroup");
        }
        if (blank(title)) {
            missing.add("title");
        }
        if (text == null) {
            missing.add("text");
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        return new OaApprovalRequest(reference.trim(), version, fingerprint, step, level == null ? 0 : level,
                journey.trim(), approverGroup.trim(), title, text, data, dueAt);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
