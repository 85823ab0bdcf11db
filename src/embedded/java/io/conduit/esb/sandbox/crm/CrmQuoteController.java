package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox CRM's quotes under {@code /sandbox/crm/api/quotes}, as its salespeople use them, and the two calls its
 * ESB adapter makes (adapters/crm/sandbox/quotes.camel.yaml). The CRM's own rule ({@link CrmQuoteProperties}: a
 * discount above the allowed one, or a margin below the minimum) puts a quote into approval status PENDING; a PENDING
 * or REJECTED quote cannot be won.
 * <ul>
 *   <li>{@code POST /quotes} {@code {"opportunityId", "accountNo", "accountName", "salesperson", "department",
 *       "currency", "lines": [{"sku", "description", "quantity", "unitPrice", "unitCost"}], "discountPercent"}}
 *       (201; opportunity, currency, description optional)</li>
 *   <li>{@code PATCH /quotes/{quoteNo}} {@code {"lines", "discountPercent"}}: a new revision when either changes; the
 *       rule is applied again (an APPROVED or REJECTED quote that still crosses it is PENDING again, one that no longer
 *       does is NONE); 409 unless OPEN</li>
 *   <li>{@code POST /quotes/{quoteNo}/withdraw}: WITHDRAWN; {@code POST /quotes/{quoteNo}/win}: WON, 409 while its
 *       approval is PENDING or REJECTED (problem type {@code quote-not-approved}, naming the approval status); both 409
 *       unless OPEN</li>
 *   <li>{@code GET /quotes/{quoteNo}}: the quote (with {@code price_review_needed} and {@code price_review_notes}: a
 *       price of one of its products changed in the catalogue since, see {@link CrmCatalogController})</li>
 *   <li>{@code GET /quotes/changes?since=<txid>}: the change feed (the ESB's port crm.quotes-since): {@code {"horizon",
 *       "quotes": [...]}}, the quotes written by transactions in [since, horizon), horizon = the oldest transaction
 *       still running, so a late commit is never skipped; each quote once, as it is now</li>
 *   <li>{@code POST /quotes/{quoteNo}/approval} {@code {"decisionId", "revision", "outcome": APPROVED|CHANGED|REJECTED,
 *       "approvedDiscountPercent", "approver", "comment"}} (the ESB's port crm.apply-quote-decision): {@code {"outcome":
 *       APPLIED|DUPLICATE|STALE|NOT_PENDING, "quote"}}; 404 for an unknown quote, 422 for a CHANGED discount not below
 *       the one asked for</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/crm/api/quotes")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmQuoteController {

    /** One line at list price; unitCost is what the line costs the company (for the margin). */
    public record Line(String sku, String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost) {
    }

    /** A new quote. */
    public record NewQuote(String opportunityId, String accountNo, String accountName, String salesperson,
                           String department, String currency, List<Line> lines, BigDecimal discountPercent) {
    }

    /** A change of an open quote; absent fields keep their value. */
    public record QuoteChange(List<Line> lines, BigDecimal discountPercent) {
    }

    /** Sales management's decision, as the ESB delivers it. */
    public record ApprovalDecision(String decisionId, Integer revision, String outcome,
                                   BigDecimal approvedDiscountPercent, String approver, String comment) {
    }

    private static final String SELECT_QUOTE = """
            SELECT quote_no, opportunity_id, account_no, account_name, salesperson, department, currency_code,
                CAST(lines AS text) AS lines, list_total, cost_total, discount_pct, net_total, margin_pct, revision, status,
                approval_status, approval_reason, approval_decision_id, approval_revision, approver, approval_comment,
                approved_discount_pct,
                to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS approved_at,
                to_char(won_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS won_at,
                to_char(last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_modified, chg_no,
                price_review_needed, CAST(price_review_notes AS text) AS price_review_notes
            FROM sandbox_crm.quote""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final CrmQuoteProperties rule;

    public CrmQuoteController(@Qualifier("esbDataSource") DataSource esbDataSource, ObjectMapper json,
                              CrmQuoteProperties rule) {
        this.jdbc = JdbcClient.create(esbDataSource);
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        this.json = json;
        this.rule = rule;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody NewQuote quote) {
        if (quote == null) {
            throw SandboxProblems.missingFields(List.of("accountNo", "accountName", "salesperson", "department", "lines"));
        }
        List<String> missing = new ArrayList<>();
        requireText(quote.accountNo(), "accountNo", missing);
        requireText(quote.accountName(), "accountName", missing);
        requireText(quote.salesperson(), "salesperson", missing);
        requireText(quote.department(), "department", missing);
        if (quote.lines() == null || quote.lines().isEmpty()) {
            missing.add("lines");
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        Totals totals = totals(quote.lines(), invalid);
        BigDecimal discount = quote.discountPercent() == null ? BigDecimal.ZERO : quote.discountPercent();
        checkDiscount(discount, invalid);
        if (quote.currency() != null && !quote.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "must be an ISO 4217 code, e.g. EUR");
        }
        if (quote.opportunityId() != null && jdbc.sql("SELECT count(*) FROM sandbox_crm.opportunity WHERE opportunity_id = :id")
                .param("id", quote.opportunityId()).query(Long.class).single() == 0) {
            invalid.put("opportunityId", "no opportunity " + quote.opportunityId());
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        String reason = needsApproval(totals, discount);
        String quoteNo = jdbc.sql("""
                        INSERT INTO sandbox_crm.quote (opportunity_id, account_no, account_name, salesperson, department,
                            currency_code, lines, list_total, cost_total, discount_pct, approval_status, approval_reason)
                        VALUES (:opp, :acc, :accName, :sp, :dept, coalesce(:curr, 'EUR'), CAST(:lines AS jsonb), :list,
                            :cost, :disc, :approval, :reason) RETURNING quote_no""")
                .param("opp", quote.opportunityId()).param("acc", quote.accountNo()).param("accName", quote.accountName())
                .param("sp", quote.salesperson()).param("dept", quote.department()).param("curr", quote.currency())
                .param("lines", text(quote.lines())).param("list", totals.list()).param("cost", totals.cost())
                .param("disc", discount).param("approval", reason == null ? "NONE" : "PENDING").param("reason", reason)
                .query(String.class).single();
        return quote(quoteNo);
    }

    @PatchMapping("/{quoteNo}")
    public Map<String, Object> change(@PathVariable String quoteNo, @RequestBody QuoteChange change) {
        if (change == null || (change.lines() == null && change.discountPercent() == null)) {
            throw SandboxProblems.badRequest("A change needs lines or discountPercent");
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (change.lines() != null && change.lines().isEmpty()) {
            invalid.put("lines", "a quote needs at least one line");
        }
        Totals newTotals = change.lines() == null || change.lines().isEmpty() ? null : totals(change.lines(), invalid);
        if (change.discountPercent() != null) {
            checkDiscount(change.discountPercent(), invalid);
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(quoteNo);
            openOrConflict(held, "changed");
            Totals totals = newTotals != null ? newTotals
                    : new Totals((BigDecimal) held.get("list_total"), (BigDecimal) held.get("cost_total"));
            BigDecimal discount = change.discountPercent() != null ? change.discountPercent()
                    : (BigDecimal) held.get("discount_pct");
            String lines = change.lines() != null ? text(change.lines()) : (String) held.get("lines");
            boolean quotedChanged = discount.compareTo((BigDecimal) held.get("discount_pct")) != 0
                    || totals.list().compareTo((BigDecimal) held.get("list_total")) != 0
                    || totals.cost().compareTo((BigDecimal) held.get("cost_total")) != 0
                    || !sameJson(lines, (String) held.get("lines"));
            if (!quotedChanged) {
                return quote(quoteNo);
            }
            // what is quoted changed: a new revision, and the rule decides afresh (an earlier approval was for
            // another quote)
            String reason = needsApproval(totals, discount);
            jdbc.sql("""
                            UPDATE sandbox_crm.quote SET lines = CAST(:lines AS jsonb), list_total = :list, cost_total = :cost,
                                discount_pct = :disc, revision = revision + 1, approval_status = :approval,
                                approval_reason = :reason, approver = null, approval_comment = null,
                                approved_discount_pct = null, approved_at = null
                            WHERE quote_no = :q""")
                    .param("lines", lines).param("list", totals.list()).param("cost", totals.cost()).param("disc", discount)
                    .param("approval", reason == null ? "NONE" : "PENDING").param("reason", reason).param("q", quoteNo)
                    .update();
            return quote(quoteNo);
        });
    }

    @PostMapping("/{quoteNo}/withdraw")
    public Map<String, Object> withdraw(@PathVariable String quoteNo) {
        return tx.execute(status -> {
            openOrConflict(locked(quoteNo), "withdrawn");
            jdbc.sql("UPDATE sandbox_crm.quote SET status = 'WITHDRAWN' WHERE quote_no = :q").param("q", quoteNo).update();
            return quote(quoteNo);
        });
    }

    @PostMapping("/{quoteNo}/win")
    public Map<String, Object> win(@PathVariable String quoteNo) {
        return tx.execute(status -> {
            Map<String, Object> held = locked(quoteNo);
            openOrConflict(held, "won");
            String approval = (String) held.get("approval_status");
            if ("PENDING".equals(approval) || "REJECTED".equals(approval)) {
                ErrorResponseException e = SandboxProblems.problem(HttpStatus.CONFLICT, "quote-not-approved",
                        "Quote not approved", "Quote " + quoteNo + " cannot be won: its approval is " + approval
                                + ("PENDING".equals(approval) ? " (" + held.get("approval_reason") + ")"
                                : " by " + held.get("approver") + ": " + held.get("approval_comment")));
                e.getBody().setProperty("approvalStatus", approval);
                e.getBody().setProperty("field", "approvalStatus");
                throw e;
            }
            jdbc.sql("UPDATE sandbox_crm.quote SET status = 'WON', won_at = now() WHERE quote_no = :q")
                    .param("q", quoteNo).update();
            return quote(quoteNo);
        });
    }

    @GetMapping("/{quoteNo}")
    public Map<String, Object> quote(@PathVariable String quoteNo) {
        return find(quoteNo).orElseThrow(() -> SandboxProblems.notFound("Quote", quoteNo));
    }

    /**
     * The change feed: the horizon is read first, then the rows below it; every transaction below the horizon has
     * ended, so what it wrote is visible to the second read and a later call starting at this horizon misses nothing.
     */
    @GetMapping("/changes")
    public Map<String, Object> changes(@RequestParam(name = "since", defaultValue = "0") long since) {
        return tx.execute(status -> {
            long horizon = jdbc.sql("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)")
                    .query(Long.class).single();
            List<Map<String, Object>> rows = jdbc.sql(SELECT_QUOTE
                            + " WHERE chg_txid >= :since AND chg_txid < :horizon ORDER BY chg_no")
                    .param("since", since).param("horizon", horizon).query().listOfRows();
            Map<String, Object> answer = new LinkedHashMap<>();
            // the horizon never moves back: an empty window answers the position it was given
            answer.put("horizon", String.valueOf(Math.max(since, horizon)));
            answer.put("quotes", rows.stream().map(this::readable).toList());
            return answer;
        });
    }

    @PostMapping("/{quoteNo}/approval")
    public Map<String, Object> applyDecision(@PathVariable String quoteNo, @RequestBody ApprovalDecision decision) {
        List<String> missing = new ArrayList<>();
        if (decision == null) {
            throw SandboxProblems.missingFields(List.of("decisionId", "revision", "outcome"));
        }
        requireText(decision.decisionId(), "decisionId", missing);
        if (decision.revision() == null) {
            missing.add("revision");
        }
        requireText(decision.outcome(), "outcome", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        if (!List.of("APPROVED", "CHANGED", "REJECTED").contains(decision.outcome())) {
            throw SandboxProblems.invalidFields(Map.of("outcome", "must be APPROVED, CHANGED or REJECTED"));
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(quoteNo);
            String outcome;
            if (decision.decisionId().equals(held.get("approval_decision_id"))) {
                outcome = "DUPLICATE";
            } else if (!"OPEN".equals(held.get("status"))) {
                // won, lost or withdrawn meanwhile: nothing left to approve
                outcome = "NOT_PENDING";
            } else if (((Number) held.get("revision")).intValue() != decision.revision()) {
                outcome = "STALE";
            } else if (!"PENDING".equals(held.get("approval_status"))) {
                outcome = "NOT_PENDING";
            } else {
                BigDecimal asked = (BigDecimal) held.get("discount_pct");
                BigDecimal approved = switch (decision.outcome()) {
                    case "APPROVED" -> asked;
                    case "CHANGED" -> changedDiscount(decision.approvedDiscountPercent(), asked);
                    default -> null;
                };
                // CHANGED: the quote now carries the approved discount (the CRM's own write: no new revision)
                jdbc.sql("""
                                UPDATE sandbox_crm.quote SET approval_status = :approval, approval_decision_id = :id,
                                    approval_revision = revision, approver = :by, approval_comment = :comment,
                                    approved_discount_pct = :approved, discount_pct = coalesce(:approved, discount_pct),
                                    approved_at = now()
                                WHERE quote_no = :q""")
                        .param("approval", "REJECTED".equals(decision.outcome()) ? "REJECTED" : "APPROVED")
                        .param("id", decision.decisionId()).param("by", decision.approver())
                        .param("comment", decision.comment()).param("approved", approved).param("q", quoteNo)
                        .update();
                outcome = "APPLIED";
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("quote", quote(quoteNo));
            return answer;
        });
    }

    private static BigDecimal changedDiscount(BigDecimal approved, BigDecimal asked) {
        if (approved == null || approved.signum() < 0 || approved.compareTo(asked) >= 0) {
            throw SandboxProblems.problem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-fields", "Invalid fields",
                    "CHANGED needs approvedDiscountPercent at least 0 and below the " + asked + " % asked for, got " + approved);
        }
        return approved;
    }

    /** Why the quote needs approval under the CRM's rule, or null when it does not. */
    private String needsApproval(Totals totals, BigDecimal discount) {
        List<String> reasons = new ArrayList<>();
        if (discount.compareTo(rule.maxDiscountPercent()) > 0) {
            reasons.add("discount " + discount.setScale(2, RoundingMode.HALF_UP) + " % above "
                    + rule.maxDiscountPercent().setScale(2, RoundingMode.HALF_UP) + " %");
        }
        BigDecimal net = totals.list().multiply(BigDecimal.valueOf(100).subtract(discount))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        BigDecimal margin = net.signum() == 0 ? BigDecimal.ZERO
                : net.subtract(totals.cost()).multiply(BigDecimal.valueOf(100)).divide(net, 2, RoundingMode.HALF_UP);
        if (margin.compareTo(rule.minMarginPercent()) < 0) {
            reasons.add("margin " + margin + " % below " + rule.minMarginPercent().setScale(2, RoundingMode.HALF_UP) + " %");
        }
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }

    private record Totals(BigDecimal list, BigDecimal cost) {
    }

    private static Totals totals(List<Line> lines, Map<String, String> invalid) {
        BigDecimal list = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String at = "lines[" + i + "].";
            if (line == null || line.sku() == null || line.sku().isBlank()) {
                invalid.put(at + "sku", "required");
                continue;
            }
            if (line.quantity() == null || line.quantity().signum() <= 0) {
                invalid.put(at + "quantity", "must be positive");
            }
            if (line.unitPrice() == null || line.unitPrice().signum() < 0) {
                invalid.put(at + "unitPrice", "must be given and not negative");
            }
            if (line.unitCost() == null || line.unitCost().signum() < 0) {
                invalid.put(at + "unitCost", "must be given and not negative");
            }
            if (invalid.isEmpty()) {
                list = list.add(line.quantity().multiply(line.unitPrice()));
                cost = cost.add(line.quantity().multiply(line.unitCost()));
            }
        }
        if (invalid.isEmpty() && list.signum() <= 0) {
            invalid.put("lines", "the list total must be above 0");
        }
        return new Totals(list.setScale(2, RoundingMode.HALF_UP), cost.setScale(2, RoundingMode.HALF_UP));
    }

    private static void checkDiscount(BigDecimal discount, Map<String, String> invalid) {
        if (discount.signum() < 0 || discount.compareTo(BigDecimal.valueOf(100)) >= 0) {
            invalid.put("discountPercent", "must be at least 0 and below 100");
        } else if (discount.scale() > 2 && discount.stripTrailingZeros().scale() > 2) {
            invalid.put("discountPercent", "at most two decimals");
        }
    }

    private Map<String, Object> locked(String quoteNo) {
        return jdbc.sql("""
                        SELECT quote_no, CAST(lines AS text) AS lines, list_total, cost_total, discount_pct, revision, status,
                            approval_status, approval_reason, approval_decision_id, approver, approval_comment
                        FROM sandbox_crm.quote WHERE quote_no = :q FOR UPDATE""")
                .param("q", quoteNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Quote", quoteNo));
    }

    private static void openOrConflict(Map<String, Object> held, String what) {
        if (!"OPEN".equals(held.get("status"))) {
            throw SandboxProblems.conflict("Quote " + held.get("quote_no") + " is " + held.get("status")
                    + " and can no longer be " + what + " (only while OPEN)");
        }
    }

    private Optional<Map<String, Object>> find(String quoteNo) {
        return jdbc.sql(SELECT_QUOTE + " WHERE quote_no = :q").param("q", quoteNo).query().listOfRows().stream()
                .findFirst().map(this::readable);
    }

    /** The row with its lines as JSON. */
    private Map<String, Object> readable(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        try {
            out.put("lines", json.readTree((String) row.get("lines")));
            // the catalogue's flag (CrmCatalogController): a price changed since the quote was made
            out.put("price_review_notes", json.readTree((String) row.get("price_review_notes")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Quote " + row.get("quote_no") + " has lines that are not JSON", e);
        }
        return out;
    }

    private String text(List<Line> lines) {
        try {
            return json.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean sameJson(String a, String b) {
        try {
            return json.readTree(a).equals(json.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static void requireText(String value, String name, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }
}
