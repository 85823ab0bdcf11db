package io.conduit.esb.systems;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness follows the route files: a declared route that is not loaded or not started makes the ESB not ready. */
class RouteFilesHealthTest {

    @TempDir
    Path routes;

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void everyDeclaredRouteLoadedAndStartedIsUpAndAFileWhoseRouteIsMissingIsDownNamingIt() throws Exception {
        Files.writeString(routes.resolve("orders.camel.yaml"), """
                - routeConfiguration:
                    id: not-a-route
                - routeTemplate:
                    id: not-a-route-either
                - route:
                    id: orders.intake
                    from: {uri: "direct:a", steps: [{log: "a"}]}
                - route:
                    id: orders.leader-only
                    routePolicy: someLeader
                    from: {uri: "direct:b", steps: [{log: "b"}]}
                """);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").routeId("orders.intake").log("a");
                from("direct:b").routeId("orders.leader-only").autoStartup(false).log("b");
            }
        });
        camel.start();
        RouteFilesHealth health = new RouteFilesHealth(camel, new SystemRegistry(Map.of()), routes.toString(),
                routes.resolve("no-adapters").toString());

        Health up = health.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("files", 1).containsEntry("routes", 2);

        // an edit adds a route that did not load (dev mode reload failed, or the file was changed under a running ESB)
        Path file = routes.resolve("orders.camel.yaml");
        Files.writeString(file, Files.readString(file) + """
                - route:
                    id: orders.new-step
                    from: {uri: "direct:c", steps: [{log: "c"}]}
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("problems").toString()).contains("orders.camel.yaml")
                .contains("route orders.new-step is not loaded");

        // a route that is stopped, and a file that does not parse
        Files.writeString(file, "- route:\n    id: orders.intake\n  bad: [\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(health.health().getDetails().get("problems").toString()).contains("does not parse");
        Files.writeString(file, "- route:\n    id: orders.intake\n    from: {uri: \"direct:a\"}\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(15)));
        camel.getRouteController().stopRoute("orders.intake");
        assertThat(health.health().getDetails().get("problems").toString()).contains("route orders.intake is Stopped");
    }

    @Test
    void aRouteItsPreconditionLeavesOutIsNotExpected() throws Exception {
        Files.writeString(routes.resolve("approvals.camel.yaml"), """
                - route:
                    id: approvals.off
                    precondition: "{{flow.off:false}}"
                    from: {uri: "direct:off", steps: [{log: "off"}]}
                - route:
                    id: approvals.on-but-missing
                    precondition: "{{flow.on:true}}"
                    from: {uri: "direct:on", steps: [{log: "on"}]}
                """);
        camel.start();
        RouteFilesHealth health = new RouteFilesHealth(camel, new SystemRegistry(Map.of()), routes.toString(),
                routes.resolve("no-adapters").toString());

        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("problems").toString()).contains("route approvals.on-but-missing is not loaded")
                .doesNotContain("approvals.off");
    }
}
