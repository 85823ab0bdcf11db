package io.conduit.esb.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    @TempDir
    Path data;

    @Test
    void aPortSomeoneListensOnStopsTheStartNamingThePort() throws IOException {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = other.getLocalPort();

            assertThatThrownBy(() -> EmbeddedPostgresServer.requireFreePort(port, data.resolve("postgres")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Port " + port + " is in use")
                    .hasMessageContaining("esb.embedded.postgres.port");
        }
    }

    @Test
    void aFreePortOrAChosenOneIsFine() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        int free = port;
        assertThatCode(() -> EmbeddedPostgresServer.requireFreePort(free, data)).doesNotThrowAnyException();
        assertThatCode(() -> EmbeddedPostgresServer.requireFreePort(0, data)).doesNotThrowAnyException();
    }

    /**
     * zonky's JVM shutdown hook (its close()) must not stop the server: it ran beside Spring's and stopped PostgreSQL
     * while Camel was still stopping. The server stops when the ESB says so, last.
     */
    @Test
    void onlyTheEsbStopsTheServerNotZonkysShutdownHook() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = data.resolve("postgres");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, port, false);
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        try {
            server.zonky().close(); // what zonky's shutdown hook runs

            assertThat(postmaster.isAlive()).isTrue();
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "postgres");
                 ResultSet rs = c.createStatement().executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
        } finally {
            server.stop();
        }
        assertThat(postmaster.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }
}
