package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raises, changes and withdraws the sandbox ERP's purchase requisitions and keeps its budget lines, as the ERP's
 * own users (MRP, a requester, controlling) would, for demos and tests. The ESB never calls it: it reads the
 * requisitions from the ERP's tables (port erp.requisitions-since) and writes the approval back there (port
 * erp.apply-requisition-decision). The tables' triggers number the requisition, count its revision and stamp the
 * change counter.
 * <ul>
 *   <li>{@code POST /sandbox/erp/requisitions} {@code {"deptCd", "itemNo", "qty", "needDate", "suppNo", "suppName",
 *       "estPrice", "budCd", "reqBy", "currency"}} (201; supplier, requester and currency optional)</li>
 *   <li>{@code PATCH /sandbox/erp/requisitions/{reqNo}} {@code {"qty", "estPrice", "needDate", "suppNo", "suppName"}}
 *       (each optional; a change of the goods, price, date or supplier is a new revision); 409 unless WAIT</li>
 *   <li>{@code POST /sandbox/erp/requisitions/{reqNo}/withdraw}: status WDR; 409 unless WAIT</li>
 *   <li>{@code GET /sandbox/erp/requisitions/{reqNo}}: the row, with its budget line's remaining amount</li>
 *   <li>{@code GET /sandbox/erp/trip-commitments/{tripId}}: a business trip's commitment (booked by the ESB)</li>
 *   <li>{@code PUT /sandbox/erp/budgets/{budCd}} {@code {"deptCd", "description", "amount", "currency"}} (what is
 *       committed stays); {@code GET /sandbox/erp/budgets/{budCd}}</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpRequisitionController {

    /** A new requisition. */
    public record NewRequisition(String deptCd, String itemNo, BigDecimal qty, LocalDate needDate, String suppNo,
                                 String suppName, BigDecimal estPrice, String budCd, String reqBy, String currency) {
    }

    /** A change of a waiting requisition; absent fields keep their value. */
    public record RequisitionChange(BigDecimal qty, BigDecimal estPrice, LocalDate needDate, String suppNo,
                                    String suppName) {
    }

    /** A budget line. */
    public record Budget(String deptCd, String description, BigDecimal amount, String currency) {
    }

    private static final String SELECT_REQUISITION = """
            SELECT r.*, b.bud_amt, b.cmt_amt, b.bud_amt - b.cmt_amt AS bud_rem
            FROM erp.pur_req r JOIN erp.budget_line b ON b.bud_cd = r.bud_cd WHERE r.req_no = :req""";

    private final JdbcClient jdbc;

    public ErpRequisitionController(@Qualifier("esbDataSource") DataSource esbDataSource) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PostMapping("/requisitions")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> raise(@RequestBody NewRequisition req) {
        List<String> missing = new ArrayList<>();
        if (req == null) {
            throw SandboxProblems.missingFields(List.of("deptCd", "itemNo", "qty", "needDate", "estPrice", "budCd"));
        }
        requireText(req.deptCd(), "deptCd", missing);
        requireText(req.itemNo(), "itemNo", missing);
        require(req.qty(), "qty", missing);
        require(req.needDate(), "needDate", missing);
        require(req.estPrice(), "estPrice", missing);
        requireText(req.budCd(), "budCd", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        checkQuantities(req.qty(), req.estPrice(), invalid);
        if (!exists("SELECT count(*) FROM erp.item_mst WHERE item_no = :key", req.itemNo())) {
            invalid.put("itemNo", "no item " + req.itemNo() + " in the item master");
        }
        if (!exists("SELECT count(*) FROM erp.budget_line WHERE bud_cd = :key", req.budCd())) {
            invalid.put("budCd", "no budget line " + req.budCd());
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        String reqNo = jdbc.sql("""
                        INSERT INTO erp.pur_req (dept_cd, req_by, item_no, req_qty, need_dt, supp_no, supp_nm, est_prc, curr_cd, bud_cd)
                        VALUES (:dept, :by, :item, :qty, :need, :supp, :suppNm, :prc, coalesce(:curr, 'EUR'), :bud) RETURNING req_no""")
                .param("dept", req.deptCd()).param("by", req.reqBy()).param("item", req.itemNo()).param("qty", req.qty())
                .param("need", req.needDate()).param("supp", req.suppNo()).param("suppNm", req.suppName())
                .param("prc", req.estPrice()).param("curr", req.currency()).param("bud", req.budCd())
                .query(String.class).single();
        return requisition(reqNo);
    }

    @PatchMapping("/requisitions/{reqNo}")
    public Map<String, Object> change(@PathVariable String reqNo, @RequestBody RequisitionChange change) {
        if (change == null) {
            throw SandboxProblems.badRequest("A change needs at least one of qty, estPrice, needDate, suppNo, suppName");
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        checkQuantities(change.qty(), change.estPrice(), invalid);
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        // only while it waits: the table's trigger would refuse it too (55000), but as a database error, not a 409
        int changed = jdbc.sql("""
                        UPDATE erp.pur_req SET req_qty = coalesce(:qty, req_qty), est_prc = coalesce(:prc, est_prc),
                            need_dt = coalesce(:need, need_dt), supp_no = coalesce(:supp, supp_no), supp_nm = coalesce(:suppNm, supp_nm)
                        WHERE req_no = :req AND stat_cd = 'WAIT'""")
                .param("qty", change.qty()).param("prc", change.estPrice()).param("need", change.needDate())
                .param("supp", change.suppNo()).param("suppNm", change.suppName()).param("req", reqNo)
                .update();
        return waitingOrConflict(reqNo, changed, "changed");
    }

    @PostMapping("/requisitions/{reqNo}/withdraw")
    public Map<String, Object> withdraw(@PathVariable String reqNo) {
        int changed = jdbc.sql("UPDATE erp.pur_req SET stat_cd = 'WDR' WHERE req_no = :req AND stat_cd = 'WAIT'")
                .param("req", reqNo).update();
        return waitingOrConflict(reqNo, changed, "withdrawn");
    }

    @GetMapping("/requisitions/{reqNo}")
    public Map<String, Object> requisition(@PathVariable String reqNo) {
        return find(reqNo).orElseThrow(() -> SandboxProblems.notFound("Requisition", reqNo));
    }

    @PutMapping("/budgets/{budCd}")
    public Map<String, Object> putBudget(@PathVariable String budCd, @RequestBody Budget budget) {
        List<String> missing = new ArrayList<>();
        if (budget == null) {
            throw SandboxProblems.missingFields(List.of("deptCd", "amount"));
        }
        requireText(budget.deptCd(), "deptCd", missing);
        require(budget.amount(), "amount", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        if (budget.amount().signum() < 0) {
            throw SandboxProblems.invalidFields(Map.of("amount", "must not be negative"));
        }
        jdbc.sql("""
                        INSERT INTO erp.budget_line (bud_cd, dept_cd, bud_desc, curr_cd, bud_amt)
                        VALUES (:bud, :dept, coalesce(:desc, :bud), coalesce(:curr, 'EUR'), :amt)
                        ON CONFLICT (bud_cd) DO UPDATE SET dept_cd = excluded.dept_cd,
                            bud_desc = coalesce(:desc, erp.budget_line.bud_desc), curr_cd = coalesce(:curr, erp.budget_line.curr_cd),
                            bud_amt = excluded.bud_amt""")
                .param("bud", budCd).param("dept", budget.deptCd()).param("desc", budget.description())
                .param("curr", budget.currency()).param("amt", budget.amount())
                .update();
        return budget(budCd);
    }

    @GetMapping("/budgets/{budCd}")
    public Map<String, Object> budget(@PathVariable String budCd) {
        return jdbc.sql("SELECT b.*, b.bud_amt - b.cmt_amt AS rem_amt FROM erp.budget_line b WHERE b.bud_cd = :bud")
                .param("bud", budCd).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Budget line", budCd));
    }

    /**
     * A business trip's commitment as the ERP holds it (booked and released by the ESB, port erp.book-trip-commitment
     * and erp.release-trip-commitment), with its cost centre's remaining amount.
     */
    @GetMapping("/trip-commitments/{tripId}")
    public Map<String, Object> tripCommitment(@PathVariable String tripId) {
        return jdbc.sql("""
                        SELECT c.*, b.bud_amt, b.cmt_amt AS bud_cmt_amt, b.bud_amt - b.cmt_amt AS bud_rem
                        FROM erp.trip_cmt c LEFT JOIN erp.budget_line b ON b.bud_cd = c.bud_cd WHERE c.trip_id = :trip""")
                .param("trip", tripId).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Trip commitment", tripId));
    }

    private Optional<Map<String, Object>> find(String reqNo) {
        return jdbc.sql(SELECT_REQUISITION).param("req", reqNo).query().listOfRows().stream().findFirst();
    }

    /** The requisition after a conditional write; 404 when there is none, 409 when it no longer waits. */
    private Map<String, Object> waitingOrConflict(String reqNo, int changed, String what) {
        Map<String, Object> row = requisition(reqNo);
        if (changed == 0) {
            throw SandboxProblems.conflict("Requisition " + reqNo + " is in status " + row.get("stat_cd")
                    + " and can no longer be " + what + " (only while WAIT)");
        }
        return row;
    }

    private boolean exists(String countSql, String key) {
        return jdbc.sql(countSql).param("key", key).query(Long.class).single() > 0;
    }

    private static void checkQuantities(BigDecimal qty, BigDecimal estPrice, Map<String, String> invalid) {
        if (qty != null && qty.signum() <= 0) {
            invalid.put("qty", "must be positive");
        }
        if (estPrice != null && estPrice.signum() < 0) {
            invalid.put("estPrice", "must not be negative");
        }
    }

    private static void require(Object value, String name, List<String> missing) {
        if (value == null) {
            missing.add(name);
        }
    }

    private static void requireText(String value, String name, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }
}
