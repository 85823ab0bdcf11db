package io.conduit.esb.complaints;

import io.conduit.esb.tables.DecisionTable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The complaint routing table ({@code esb.complaints.routing-table}, a YAML file IT edits; see
 * {@code mappings/complaints/routing-table.yaml}) as bean {@code complaintRoutingTable}, which the route
 * {@code complaint-routing.to-oa} asks for a complaint's department queue, manager queue, JMS priority and SLA.
 * Every row is checked when the table is (re)loaded: a queue for every row, a priority 0..9, an ISO-8601 SLA.
 */
@Configuration(proxyBeanMethods = false)
public class ComplaintRoutingConfiguration {

    @Bean
    public DecisionTable complaintRoutingTable(
            @Value("${esb.complaints.routing-table}") String table,
            @Value("${esb.complaints.extra-routing-tables:}") List<String> extraTables,
            @Value("${esb.complaints.routing-table-reload-check-ms:1000}") long reloadCheckMs) {
        List<Path> files = new ArrayList<>();
        files.add(Path.of(table));
        extraTables.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).forEach(files::add);
        return new DecisionTable("complaint-routing", files, reloadCheckMs, ComplaintRoutingConfiguration::checkRow);
    }

    static void checkRow(Map<String, Object> outputs) {
        for (String name : List.of("department", "queue", "managerQueue")) {
            if (!(outputs.get(name) instanceof String text) || text.isBlank() || text.contains("{")) {
                throw new IllegalArgumentException(name + " must be a name, not " + outputs.get(name));
            }
        }
        if (!(outputs.get("priority") instanceof Integer priority) || priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be a JMS priority 0..9, not " + outputs.get("priority"));
        }
        try {
            Duration sla = Duration.parse(String.valueOf(outputs.get("sla")));
            if (sla.isNegative() || sla.isZero()) {
                throw new IllegalArgumentException("sla must be positive, not " + sla);
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("sla must be an ISO-8601 duration such as PT4H or P1D, not "
                    + outputs.get("sla"));
        }
    }
}
