package io.conduit.esb.sandbox.oa;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** User accounts in {@code sandbox_oa.account}. */
public class OaAccountRepository {

    /** JSON field of a {@code PATCH} to its column: the only names that ever reach SQL text. */
    public static final Map<String, String> UPDATABLE_COLUMNS = Map.of(
            "login", "login",
            "displayName", "display_name",
            "email", "email",
            "department", "department",
            "active", "active");

    private static final String COLUMNS = """
            SELECT account_id, employee_no, login, display_name, email, department, active, created_at, updated_at
            FROM sandbox_oa.account""";

    private static final RowMapper<OaAccount> ROW = (rs, n) -> new OaAccount(rs.getString("account_id"),
            rs.getString("employee_no"), rs.getString("login"), rs.getString("display_name"), rs.getString("email"),
            rs.getString("department"), rs.getBoolean("active"), OaTaskRepository.instant(rs, "created_at"),
            OaTaskRepository.instant(rs, "updated_at"));

    private final JdbcClient jdbc;

    public OaAccountRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** @return the new account's id */
    public String insert(OaAccountRequest account) {
        return jdbc.sql("""
                        INSERT INTO sandbox_oa.account (employee_no, login, display_name, email, department, active)
                        VALUES (:employeeNo, :login, :displayName, :email, :department, :active)
                        RETURNING account_id""")
                .param("employeeNo", account.employeeNo())
                .param("login", account.login())
                .param("displayName", account.displayName())
                .param("email", account.email())
                .param("department", account.department())
                .param("active", account.active())
                .query(String.class)
                .single();
    }

    public Optional<OaAccount> find(String accountId) {
        return jdbc.sql(COLUMNS + " WHERE account_id = :id").param("id", accountId).query(ROW).optional();
    }

    public Optional<OaAccount> findByEmployeeNo(String employeeNo) {
        return jdbc.sql(COLUMNS + " WHERE employee_no = :employeeNo").param("employeeNo", employeeNo).query(ROW).optional();
    }

    public List<OaAccount> list() {
        return jdbc.sql(COLUMNS + " ORDER BY created_at, account_id").query(ROW).list();
    }

    /**
     * Sets the given fields (keys of {@link #UPDATABLE_COLUMNS}, already validated).
     *
     * @return false when there is no such account
     */
    public boolean update(String accountId, Map<String, Object> changes) {
        String assignments = changes.keySet().stream().sorted()
                .map(field -> UPDATABLE_COLUMNS.get(field) + " = :" + field)
                .collect(Collectors.joining(", "));
        JdbcClient.StatementSpec statement = jdbc.sql(
                "UPDATE sandbox_oa.account SET " + assignments + ", updated_at = now() WHERE account_id = :accountId")
                .param("accountId", accountId);
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            statement = statement.param(change.getKey(), change.getValue());
        }
        return statement.update() > 0;
    }
}
