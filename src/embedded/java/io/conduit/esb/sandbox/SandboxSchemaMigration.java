package io.conduit.esb.sandbox;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Objects;

/**
 * The outcome of migrating one sandbox schema ({@code sandbox_crm}, {@code erp}, {@code sandbox_oa}) with its own
 * Flyway instance and history table, from {@code classpath:db/sandbox/<system>}.
 * <p>
 * Deliberately not exposed as a {@link Flyway} bean: Spring Boot's Flyway auto-configuration backs off when any
 * {@code Flyway} bean exists, which would silently skip the ESB's own migrations.
 */
public final class SandboxSchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSchemaMigration.class);

    private final String schema;
    private final Flyway flyway;
    private final MigrateResult result;

    private SandboxSchemaMigration(String schema, Flyway flyway, MigrateResult result) {
        this.schema = schema;
        this.flyway = flyway;
        this.result = result;
    }

    /**
     * Creates {@code schema} if needed and applies the pending migrations found at {@code location}.
     *
     * @param dataSource a connection allowed to create schemas and roles (the ESB's superuser connection)
     */
    public static SandboxSchemaMigration migrate(DataSource dataSource, String schema, String location) {
        Objects.requireNonNull(dataSource, "dataSource");
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .locations(location)
                .failOnMissingLocations(true)
                .placeholderReplacement(false)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info("Sandbox schema {} migrated to version {} ({} migration(s) applied)", schema,
                flyway.info().current() == null ? "-" : flyway.info().current().getVersion(), result.migrationsExecuted);
        return new SandboxSchemaMigration(schema, flyway, result);
    }

    public String schema() {
        return schema;
    }

    public Flyway flyway() {
        return flyway;
    }

    public MigrateResult result() {
        return result;
    }
}
