package io.conduit.esb.sandbox.oa;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;

/** Onboarding notices in {@code sandbox_oa.onboarding_notice}, one row per JMS message received. */
public class OnboardingNoticeRepository {

    private static final String COLUMNS = """
            SELECT id, hr_event_id, employee_no, payload::text AS payload, jms_message_id, received_at
            FROM sandbox_oa.onboarding_notice""";

    private static final RowMapper<OnboardingNotice> ROW = (rs, n) -> new OnboardingNotice(rs.getLong("id"),
            rs.getString("hr_event_id"), rs.getString("employee_no"), rs.getString("payload"),
            rs.getString("jms_message_id"), OaTaskRepository.instant(rs, "received_at"));

    private final JdbcClient jdbc;

    public OnboardingNoticeRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** @return false when this JMS message was already stored (a redelivery) */
    public boolean insert(String hrEventId, String employeeNo, String payload, String jmsMessageId) {
        return jdbc.sql("""
                        INSERT INTO sandbox_oa.onboarding_notice (hr_event_id, employee_no, payload, jms_message_id)
                        VALUES (:eventId, :employeeNo, CAST(:payload AS jsonb), :messageId)
                        ON CONFLICT (jms_message_id) DO NOTHING""")
                .param("eventId", hrEventId)
                .param("employeeNo", employeeNo)
                .param("payload", payload)
                .param("messageId", jmsMessageId)
                .update() > 0;
    }

    public List<OnboardingNotice> findByEmployeeNo(String employeeNo) {
        return jdbc.sql(COLUMNS + " WHERE employee_no = :no ORDER BY id").param("no", employeeNo).query(ROW).list();
    }

    public List<OnboardingNotice> findByHrEventId(String hrEventId) {
        return jdbc.sql(COLUMNS + " WHERE hr_event_id = :id ORDER BY id").param("id", hrEventId).query(ROW).list();
    }
}
