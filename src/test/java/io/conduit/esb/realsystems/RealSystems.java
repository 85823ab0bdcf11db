package io.conduit.esb.realsystems;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The real Tryton and Redmine that {@code ops/real-systems/start.sh} installs and starts, described by the properties
 * file it writes ({@code $CONDUIT_REAL_DIR/real-systems.properties}). Absent: tests on them are skipped with the
 * reason, unless {@code CONDUIT_REAL_SYSTEMS=required} (CI), where the absence fails the run.
 */
public final class RealSystems {

    private RealSystems() {
    }

    public static Path propertiesFile() {
        String dir = System.getenv().getOrDefault("CONDUIT_REAL_DIR", "/var/tmp/conduit-real");
        return Path.of(dir, "real-systems.properties");
    }

    /** True when the real systems are described; throws when they are required and are not. */
    public static boolean available() {
        if (Files.isRegularFile(propertiesFile())) {
            return true;
        }
        if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but there are no real systems: "
                    + propertiesFile() + " is missing (start them with ops/real-systems/start.sh)");
        }
        return false;
    }

    /** What the ESB's ERP settings are for the real Tryton ({@code esb.systems.erp.*}: URL, session login, ids). */
    public static Map<String, String> trytonSettings(Properties real) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("esb.systems.erp.base-url", real.getProperty("tryton.url"));
        settings.put("esb.systems.erp.auth.type", "session");
        settings.put("esb.systems.erp.auth.username", real.getProperty("tryton.user"));
        settings.put("esb.systems.erp.auth.password", real.getProperty("tryton.password"));
        settings.put("esb.systems.erp.auth.login-method", "common.db.login");
        settings.put("esb.systems.erp.auth.login-params", "[\"{username}\", {\"password\": \"{password}\"}, \"en\"]");
        settings.put("esb.systems.erp.auth.session-header", "Session base64({username}:{result.0}:{result.1})");
        settings.put("esb.systems.erp.company-id", real.getProperty("tryton.company-id"));
        settings.put("esb.systems.erp.warehouse-id", real.getProperty("tryton.warehouse-id"));
        settings.put("esb.systems.erp.unit-id", real.getProperty("tryton.uom-unit-id"));
        settings.put("esb.systems.erp.product-category-id", real.getProperty("tryton.product-category-id"));
        // business trips (adapters/erp/tryton/trips.camel.yaml): the trips journal, the expense and payable accounts
        putIfThere(settings, "esb.systems.erp.trips.journal-id", real, "tryton.trip-journal-id");
        putIfThere(settings, "esb.systems.erp.trips.expense-account-id", real, "tryton.account-expense-id");
        putIfThere(settings, "esb.systems.erp.trips.payable-account-id", real, "tryton.account-payable-id");
        return settings;
    }

    /** What the ESB's OA settings are for the real Redmine ({@code esb.systems.oa.*}: URL, API key, ids). */
    public static Map<String, String> redmineSettings(Properties real) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("esb.systems.oa.base-url", real.getProperty("redmine.url"));
        settings.put("esb.systems.oa.auth.api-key", real.getProperty("redmine.api-key"));
        List<String> projects = new ArrayList<>();
        for (String department : real.getProperty("redmine.departments", "").split(",")) {
            String identifier = real.getProperty("redmine.project." + department.trim() + ".identifier");
            if (identifier != null) {
                projects.add(department.trim() + "=" + identifier);
            }
        }
        settings.put("esb.systems.oa.projects", String.join(",", projects));
        settings.put("esb.systems.oa.tracker-id", real.getProperty("redmine.tracker-id"));
        settings.put("esb.systems.oa.custom-fields.external-reference", real.getProperty("redmine.custom-field.external-reference-id"));
        settings.put("esb.systems.oa.custom-fields.sla-due-at", real.getProperty("redmine.custom-field.sla-due-at-id"));
        for (String priority : List.of("low", "normal", "high", "urgent", "immediate")) {
            settings.put("esb.systems.oa.priority-ids." + priority, real.getProperty("redmine.priority." + priority + "-id"));
        }
        // approval tasks (adapters/oa/redmine/approvals.camel.yaml): tracker, statuses, custom fields, default project
        putIfThere(settings, "esb.systems.oa.approvals.tracker-id", real, "redmine.tracker.approval-id");
        putIfThere(settings, "esb.systems.oa.approvals.project", real, "redmine.approvals.project.identifier");
        putIfThere(settings, "esb.systems.oa.approvals.statuses.open", real, "redmine.status.new-id");
        for (String status : List.of("approved", "approved-with-changes", "rejected", "withdrawn")) {
            putIfThere(settings, "esb.systems.oa.approvals.statuses." + status, real, "redmine.status." + status + "-id");
        }
        for (String field : List.of("approval-key", "request-version", "escalation-level", "fingerprint", "approver-group",
                "requested-quantity", "decision-quantity")) {
            putIfThere(settings, "esb.systems.oa.approvals.custom-fields." + field, real, "redmine.custom-field." + field + "-id");
        }
        putIfThere(settings, "esb.systems.oa.approvals.custom-fields.step", real, "redmine.custom-field.approval-step-id");
        return settings;
    }

    /** A setting from the properties file, left out when the file has none (written by an older set-up). */
    private static void putIfThere(Map<String, String> settings, String key, Properties real, String property) {
        String value = real.getProperty(property);
        if (value != null) {
            settings.put(key, value);
        }
    }

    public static Properties load() {
        Properties real = new Properties();
        try (InputStream in = Files.newInputStream(propertiesFile())) {
            real.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return real;
    }
}
