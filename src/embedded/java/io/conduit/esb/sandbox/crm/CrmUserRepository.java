package io.conduit.esb.sandbox.crm;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** CRM users in {@code sandbox_crm.crm_user}. */
public class CrmUserRepository {

    /** JSON field of a {@code PATCH} to its column: the only names that ever reach SQL text. */
    public static final Map<String, String> UPDATABLE_COLUMNS = Map.of(
            "userName", "user_name",
            "fullName", "full_name",
            "emailAddress", "email_address",
            "team", "team",
            "jobTitle", "job_title",
            "isActive", "is_active");

    private static final String COLUMNS = """
            SELECT user_id, employee_number, user_name, full_name, email_address, team, job_title, is_active,
                   deactivated_at, created_at, last_modified
            FROM sandbox_crm.crm_user""";

    private static final RowMapper<CrmUser> ROW = (rs, n) -> new CrmUser(rs.getString("user_id"),
            rs.getString("employee_number"), rs.getString("user_name"), rs.getString("full_name"),
            rs.getString("email_address"), rs.getString("team"), rs.getString("job_title"), rs.getBoolean("is_active"),
            OpportunityRepository.instant(rs, "deactivated_at"), OpportunityRepository.instant(rs, "created_at"),
            OpportunityRepository.instant(rs, "last_modified"));

    private final JdbcClient jdbc;

    public CrmUserRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** @return the new user's id */
    public String insert(CrmUserRequest user) {
        return jdbc.sql("""
                        INSERT INTO sandbox_crm.crm_user (employee_number, user_name, full_name, email_address, team, job_title)
                        VALUES (:employeeNumber, :userName, :fullName, :emailAddress, :team, :jobTitle)
                        RETURNING user_id""")
                .param("employeeNumber", user.employeeNumber())
                .param("userName", user.userName())
                .param("fullName", user.fullName())
                .param("emailAddress", user.emailAddress())
                .param("team", user.team())
                .param("jobTitle", user.jobTitle())
                .query(String.class)
                .single();
    }

    public Optional<CrmUser> find(String userId) {
        return jdbc.sql(COLUMNS + " WHERE user_id = :id").param("id", userId).query(ROW).optional();
    }

    public Optional<CrmUser> findByEmployeeNumber(String employeeNumber) {
        return jdbc.sql(COLUMNS + " WHERE employee_number = :no").param("no", employeeNumber).query(ROW).optional();
    }

    public List<CrmUser> list() {
        return jdbc.sql(COLUMNS + " ORDER BY created_at, user_id").query(ROW).list();
    }

    /**
     * Sets the given fields (keys of {@link #UPDATABLE_COLUMNS}, already validated); deactivating stamps
     * {@code deactivated_at}, reactivating clears it.
     *
     * @return false when there is no such user
     */
    public boolean update(String userId, Map<String, Object> changes) {
        String assignments = changes.keySet().stream().sorted()
                .map(field -> UPDATABLE_COLUMNS.get(field) + " = :" + field)
                .collect(Collectors.joining(", "));
        String deactivation = !changes.containsKey("isActive") ? ""
                : Boolean.TRUE.equals(changes.get("isActive")) ? ", deactivated_at = null"
                : ", deactivated_at = COALESCE(deactivated_at, now())";
        JdbcClient.StatementSpec statement = jdbc.sql("UPDATE sandbox_crm.crm_user SET " + assignments + deactivation
                        + ", last_modified = now() WHERE user_id = :userId")
                .param("userId", userId);
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            statement = statement.param(change.getKey(), change.getValue());
        }
        return statement.update() > 0;
    }
}
