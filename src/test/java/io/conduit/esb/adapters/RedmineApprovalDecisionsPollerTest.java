package io.conduit.esb.adapters;

import io.conduit.esb.support.RouteTestContext;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redmine adapter's approval routes load with the defaults of adapters/oa/redmine/adapter.yaml (every placeholder
 * they name is there), and its decision poller exists only where the approvals flow runs (esb.approvals.enabled,
 * the poll template's "enabled" parameter): a Redmine ESB without the flow polls nothing for it.
 */
class RedmineApprovalDecisionsPollerTest {

    private static final String POLLER = "oa-redmine.poll-approval-decisions";

    @Test
    void thePollerRunsWhereTheApprovalsFlowRuns() throws Exception {
        try (DefaultCamelContext camel = context("true")) {
            camel.start();
            assertThat(camel.getRoute(POLLER)).isNotNull();
            assertThat(camel.getRoute("oa-redmine.create-approval-task")).isNotNull();
        }
    }

    @Test
    void withoutTheApprovalsFlowThereIsNoPoller() throws Exception {
        try (DefaultCamelContext camel = context("false")) {
            camel.start();
            assertThat(camel.getRoute(POLLER)).isNull();
            // the ports stay (nothing calls them), and the complaint tasks' poller is not affected
            assertThat(camel.getRoute("oa-redmine.create-approval-task")).isNotNull();
            assertThat(camel.getRoute("oa-redmine.poll-task-events")).isNotNull();
        }
    }

    private static DefaultCamelContext context(String approvalsEnabled) throws Exception {
        Map<String, String> properties = adapterDefaults();
        properties.put("esb.approvals.enabled", approvalsEnabled);
        properties.put("esb.queues.oa-approval-decisions", "OA.APPROVAL.DECISIONS");
        properties.put("esb.queues.oa-task-events", "OA.TASK.EVENTS");
        // no poll while the test looks
        properties.put("esb.systems.oa.approval-decisions.initial-delay", "3600000");
        properties.put("esb.systems.oa.task-events.initial-delay", "3600000");
        DefaultCamelContext camel = RouteTestContext.create(properties, "poll-template.camel.yaml",
                "adapters/oa/redmine/tasks.camel.yaml", "adapters/oa/redmine/task-events.camel.yaml",
                "adapters/oa/redmine/approvals.camel.yaml", "adapters/oa/redmine/approval-decisions.camel.yaml");
        camel.addComponent("jms", new MockComponent());
        // the watermark's SQL endpoints need a data source to be created; no poll runs, so none is opened
        camel.getRegistry().bind("dataSource", new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:9/none"));
        return camel;
    }

    /** adapter.yaml flattened to property names, each "${ENV:default}" as its default. */
    private static Map<String, String> adapterDefaults() throws Exception {
        Map<String, Object> yaml;
        try (InputStream in = Files.newInputStream(Path.of("adapters/oa/redmine/adapter.yaml"))) {
            yaml = new Yaml().load(in);
        }
        Map<String, String> flat = new HashMap<>();
        flatten("", yaml, flat);
        flat.replaceAll((key, value) -> value.replaceAll("\\$\\{[A-Z0-9_]+:([^}]*)}", "$1"));
        flat.put("esb.systems.oa.health-url", "http://127.0.0.1:3000/issue_statuses.json");
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> flat) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(name, (Map<String, Object>) nested, flat);
            } else {
                flat.put(name, value == null ? "" : String.valueOf(value));
            }
        });
    }
}
