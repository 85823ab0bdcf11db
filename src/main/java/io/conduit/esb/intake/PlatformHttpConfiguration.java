package io.conduit.esb.intake;

import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs a route behind {@code platform-http} on the servlet container's request thread.
 * <p>
 * Camel's Spring Boot starter hands every request to Spring's task executor ({@code CompletableFuture.runAsync}),
 * whose default pool runs 8 tasks and queues the rest without bound, and the request thread then only waits: a thread
 * switch per request, a ninth concurrent request queued behind eight slow ones, and the answer written after an
 * asynchronous dispatch. Given an executor that runs the task where it is, the route runs on Tomcat's request thread
 * (bounded by {@code server.tomcat.threads.max} and {@link OverloadGate}), as any servlet would. On the throughput
 * benchmark's simple flow (bench/throughput.sh, a warm ESB) one connection got 820-970 answers a second instead of
 * 690; at 16 and 64 connections the change was within the noise (about 1,800).
 */
@Configuration(proxyBeanMethods = false)
public class PlatformHttpConfiguration {

    @Bean(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME)
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }
}
