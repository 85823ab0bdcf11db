package io.conduit.esb.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

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
}
