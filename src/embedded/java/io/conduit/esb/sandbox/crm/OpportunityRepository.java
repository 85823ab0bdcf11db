package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Opportunities and their ERP status history in schema {@code sandbox_crm}. */
public class OpportunityRepository {

    private static final TypeReference<List<OpportunityProduct>> PRODUCTS = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            SELECT opportunity_id, account_no, account_name, currency_code, amount, close_date, delivery_date, stage,
                   revision, products, erp_order_no, erp_status, erp_synced_at, created_at, last_modified
            FROM sandbox_crm.opportunity""";

    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;
    private final RowMapper<Opportunity> rowMapper;

    public OpportunityRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.rowMapper = this::map;
    }

    /** Inserts a new opportunity in stage Prospecting, revision 1; the id is assigned unless the request has one. */
    public String insert(OpportunityRequest request) {
        return jdbc.sql("""
                        INSERT INTO sandbox_crm.opportunity (opportunity_id, account_no, account_name, currency_code, amount,
                                                             close_date, delivery_date, stage, revision, products)
                        VALUES (COALESCE(:id, 'OPP-' || nextval('sandbox_crm.opportunity_seq')), :accountNo, :accountName,
                                :currencyCode, :amount, :closeDate, :deliveryDate, :stage, 1, CAST(:products AS jsonb))
                        RETURNING opportunity_id""")
                .param("id", request.opportunityId())
                .param("accountNo", request.accountNo())
                .param("accountName", request.accountName())
                .param("currencyCode", request.currencyCode())
                .param("amount", request.amountValue())
                .param("closeDate", request.closeDate())
                .param("deliveryDate", request.deliveryDate())
                .param("stage", Opportunity.STAGE_PROSPECTING)
                .param("products", json(request.products()))
                .query(String.class)
                .single();
    }

    /** Replaces the editable fields and increments the revision. */
    public void replace(String id, OpportunityRequest request) {
        jdbc.sql("""
                        UPDATE sandbox_crm.opportunity
                        SET account_no = :accountNo, account_name = :accountName, currency_code = :currencyCode,
                            amount = :amount, close_date = :closeDate, delivery_date = :deliveryDate,
                            products = CAST(:products AS jsonb), revision = revision + 1, last_modified = now()
                        WHERE opportunity_id = :id""")
                .param("id", id)
                .param("accountNo", request.accountNo())
                .param("accountName", request.accountName())
                .param("currencyCode", request.currencyCode())
                .param("amount", request.amountValue())
                .param("closeDate", request.closeDate())
                .param("deliveryDate", request.deliveryDate())
                .param("products", json(request.products()))
                .update();
    }

    /** Moves to stage Closed Won, sets the close date to {@code today} unless it has one, increments the revision. */
    public void markWon(String id, LocalDate today) {
        jdbc.sql("""
                        UPDATE sandbox_crm.opportunity
                        SET stage = :stage, close_date = COALESCE(close_date, :today), revision = revision + 1,
                            last_modified = now()
                        WHERE opportunity_id = :id""")
                .param("id", id)
                .param("stage", Opportunity.STAGE_CLOSED_WON)
                .param("today", today)
                .update();
    }

    /** Stores what the ESB reported and appends it to the ERP status history. Revision and stage are untouched. */
    public void updateErpStatus(String id, String erpOrderNo, String erpStatus, OffsetDateTime erpSyncedAt) {
        jdbc.sql("""
                        UPDATE sandbox_crm.opportunity
                        SET erp_order_no = :orderNo, erp_status = :status, erp_synced_at = :syncedAt, last_modified = now()
                        WHERE opportunity_id = :id""")
                .param("id", id)
                .param("orderNo", erpOrderNo)
                .param("status", erpStatus)
                .param("syncedAt", erpSyncedAt)
                .update();
        jdbc.sql("""
                        INSERT INTO sandbox_crm.erp_status_history (opportunity_id, erp_order_no, erp_status, erp_synced_at)
                        VALUES (:id, :orderNo, :status, :syncedAt)""")
                .param("id", id)
                .param("orderNo", erpOrderNo)
                .param("status", erpStatus)
                .param("syncedAt", erpSyncedAt)
                .update();
    }

    public Optional<Opportunity> find(String id) {
        return jdbc.sql(COLUMNS + " WHERE opportunity_id = :id").param("id", id).query(rowMapper).optional();
    }

    /** Finds and row-locks the opportunity for the rest of the current transaction. */
    public Optional<Opportunity> findForUpdate(String id) {
        return jdbc.sql(COLUMNS + " WHERE opportunity_id = :id FOR UPDATE").param("id", id).query(rowMapper).optional();
    }

    /** All opportunities, or those in {@code stage}, oldest first. */
    public List<Opportunity> list(String stage) {
        return stage == null
                ? jdbc.sql(COLUMNS + " ORDER BY created_at, opportunity_id").query(rowMapper).list()
                : jdbc.sql(COLUMNS + " WHERE stage = :stage ORDER BY created_at, opportunity_id")
                        .param("stage", stage).query(rowMapper).list();
    }

    public List<ErpStatusHistoryEntry> erpStatusHistory(String id) {
        return jdbc.sql("""
                        SELECT opportunity_id, erp_order_no, erp_status, erp_synced_at, received_at
                        FROM sandbox_crm.erp_status_history WHERE opportunity_id = :id ORDER BY id""")
                .param("id", id)
                .query((rs, n) -> new ErpStatusHistoryEntry(rs.getString("opportunity_id"), rs.getString("erp_order_no"),
                        rs.getString("erp_status"), instant(rs, "erp_synced_at"), instant(rs, "received_at")))
                .list();
    }

    private Opportunity map(ResultSet rs, int rowNum) throws SQLException {
        return new Opportunity(rs.getString("opportunity_id"), rs.getString("account_no"), rs.getString("account_name"),
                rs.getString("currency_code"), rs.getBigDecimal("amount").toPlainString(),
                rs.getObject("close_date", LocalDate.class), rs.getObject("delivery_date", LocalDate.class),
                rs.getString("stage"), rs.getInt("revision"), products(rs.getString("products")),
                rs.getString("erp_order_no"), rs.getString("erp_status"), instant(rs, "erp_synced_at"),
                instant(rs, "created_at"), instant(rs, "last_modified"));
    }

    private List<OpportunityProduct> products(String json) {
        try {
            return List.copyOf(objectMapper.readValue(json, PRODUCTS));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Unreadable products of an opportunity", e);
        }
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
