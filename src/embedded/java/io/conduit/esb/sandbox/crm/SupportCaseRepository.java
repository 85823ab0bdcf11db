package io.conduit.esb.sandbox.crm;

import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.conduit.esb.sandbox.crm.OpportunityRepository.instant;

/** Support cases, their status history and their webhook deliveries in schema {@code sandbox_crm}. */
public class SupportCaseRepository {

    private static final String COLUMNS = """
            SELECT case_number, account_no, account_name, account_tier, related_opportunity_id, category_code, priority,
                   origin, subject, description, product_sku, product_name, product_line, case_status, assigned_team,
                   assigned_to, resolution, escalated, routing_note, external_task_ref, esb_synced_at, opened_at,
                   last_modified
            FROM sandbox_crm.support_case""";

    private final JdbcClient jdbc;

    public SupportCaseRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Inserts a new case in status New; the case number is assigned unless the request has one. */
    public String insert(SupportCaseRequest r) {
        return jdbc.sql("""
                        INSERT INTO sandbox_crm.support_case (case_number, account_no, account_name, account_tier,
                               related_opportunity_id, category_code, priority, origin, subject, description,
                               product_sku, product_name, product_line)
                        VALUES (COALESCE(:caseNumber, 'CS-' || nextval('sandbox_crm.case_seq')), :accountNo, :accountName,
                                :accountTier, :relatedOpportunityId, :categoryCode, :priority, :origin, :subject,
                                :description, :productSku, :productName, :productLine)
                        RETURNING case_number""")
                .param("caseNumber", r.caseNumber())
                .param("accountNo", r.accountNo())
                .param("accountName", r.accountName())
                .param("accountTier", r.accountTier())
                .param("relatedOpportunityId", r.relatedOpportunityId())
                .param("categoryCode", r.categoryCode())
                .param("priority", r.priority())
                .param("origin", r.origin())
                .param("subject", r.subject())
                .param("description", r.description())
                .param("productSku", r.productSku())
                .param("productName", r.productName())
                .param("productLine", r.productLine())
                .query(String.class)
                .single();
    }

    public Optional<SupportCase> find(String caseNumber) {
        return jdbc.sql(COLUMNS + " WHERE case_number = :id").param("id", caseNumber).query(this::map).optional();
    }

    public Optional<SupportCase> findForUpdate(String caseNumber) {
        return jdbc.sql(COLUMNS + " WHERE case_number = :id FOR UPDATE").param("id", caseNumber).query(this::map)
                .optional();
    }

    /** Stores the ESB's status fields of the case and appends them to its status history. */
    public void updateStatus(SupportCase c, OffsetDateTime esbSyncedAt) {
        jdbc.sql("""
                        UPDATE sandbox_crm.support_case
                        SET case_status = :status, assigned_team = :team, assigned_to = :to, resolution = :resolution,
                            escalated = :escalated, routing_note = :note, external_task_ref = :taskRef,
                            esb_synced_at = :syncedAt, last_modified = now()
                        WHERE case_number = :id""")
                .param("id", c.caseNumber()).param("status", c.caseStatus()).param("team", c.assignedTeam())
                .param("to", c.assignedTo()).param("resolution", c.resolution()).param("escalated", c.escalated())
                .param("note", c.routingNote()).param("taskRef", c.externalTaskRef()).param("syncedAt", esbSyncedAt)
                .update();
        jdbc.sql("""
                        INSERT INTO sandbox_crm.case_status_history (case_number, case_status, assigned_team, assigned_to,
                               resolution, escalated, routing_note, external_task_ref, esb_synced_at)
                        VALUES (:id, :status, :team, :to, :resolution, :escalated, :note, :taskRef, :syncedAt)""")
                .param("id", c.caseNumber()).param("status", c.caseStatus()).param("team", c.assignedTeam())
                .param("to", c.assignedTo()).param("resolution", c.resolution()).param("escalated", c.escalated())
                .param("note", c.routingNote()).param("taskRef", c.externalTaskRef()).param("syncedAt", esbSyncedAt)
                .update();
    }

    public List<CaseStatusHistoryEntry> statusHistory(String caseNumber) {
        return jdbc.sql("""
                        SELECT case_number, case_status, assigned_team, assigned_to, resolution, escalated, routing_note,
                               external_task_ref, esb_synced_at, received_at
                        FROM sandbox_crm.case_status_history WHERE case_number = :id ORDER BY id""")
                .param("id", caseNumber)
                .query((rs, n) -> new CaseStatusHistoryEntry(rs.getString("case_number"), rs.getString("case_status"),
                        rs.getString("assigned_team"), rs.getString("assigned_to"), rs.getString("resolution"),
                        (Boolean) rs.getObject("escalated"), rs.getString("routing_note"),
                        rs.getString("external_task_ref"), instant(rs, "esb_synced_at"), instant(rs, "received_at")))
                .list();
    }

    /** Records one webhook delivery attempt; returns the attempt number. */
    public int recordDelivery(String eventId, String caseNumber, Integer httpStatus, String error) {
        return jdbc.sql("""
                        INSERT INTO sandbox_crm.case_webhook_delivery (event_id, case_number, attempt, http_status, error)
                        SELECT :eventId, :caseNumber, COALESCE(MAX(attempt), 0) + 1, :httpStatus, :error
                        FROM sandbox_crm.case_webhook_delivery WHERE event_id = :eventId
                        RETURNING attempt""")
                .param("eventId", eventId).param("caseNumber", caseNumber).param("httpStatus", httpStatus)
                .param("error", error)
                .query(Integer.class).single();
    }

    private SupportCase map(ResultSet rs, int rowNum) throws SQLException {
        return new SupportCase(rs.getString("case_number"), rs.getString("account_no"), rs.getString("account_name"),
                rs.getString("account_tier"), rs.getString("related_opportunity_id"), rs.getString("category_code"),
                rs.getString("priority"), rs.getString("origin"), rs.getString("subject"), rs.getString("description"),
                rs.getString("product_sku"), rs.getString("product_name"), rs.getString("product_line"),
                rs.getString("case_status"), rs.getString("assigned_team"), rs.getString("assigned_to"),
                rs.getString("resolution"), rs.getBoolean("escalated"), rs.getString("routing_note"),
                rs.getString("external_task_ref"), instant(rs, "esb_synced_at"), instant(rs, "opened_at"),
                instant(rs, "last_modified"));
    }
}
