package io.conduit.esb.intake;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.CompletableFuture;

/**
 * Runs a route behind {@code platform-http} on the servlet container's request thread and answers in the same
 * dispatch, as any servlet would.
 * <p>
 * Camel's Spring Boot starter (4.17) maps each {@code platform-http} path to
 * {@code SpringBootPlatformHttpConsumer.service}, which hands the request to Spring's task executor
 * ({@code CompletableFuture.runAsync}) and returns the future: a thread switch per request, a default pool of 8
 * threads with an unbounded queue, and, because a handler returned a {@code CompletionStage}, Spring MVC starts the
 * servlet's asynchronous mode and, once the future completes, dispatches the request a second time through the whole
 * filter chain (Spring Security, the input gate, handler lookup) and the DispatcherServlet only to find that nothing
 * is left to write. {@link SynchronousConsumer} runs the route where the request is and returns no future, which
 * Spring MVC takes as "the handler wrote the answer itself": one dispatch, bounded by {@code server.tomcat.threads.max}
 * and {@link OverloadGate}.
 * <p>
 * Measured on the throughput benchmark's simple flow (bench/throughput.sh): the first step, an executor that runs the
 * task where it is, took one connection from 690 to 820-970 answers a second on a faster machine; dropping the second
 * dispatch is in the README's Performance section. Errors are handled as the starter does: logged, and a 500 if
 * nothing was written yet.
 */
@Configuration(proxyBeanMethods = false)
public class PlatformHttpConfiguration {

    @Bean(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME)
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SynchronousEngine(port);
    }

    /** The starter's engine, creating {@link SynchronousConsumer}s. */
    static final class SynchronousEngine extends SpringBootPlatformHttpEngine {

        SynchronousEngine(int port) {
            super(port, Runnable::run);
        }

        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return new SynchronousConsumer(endpoint, processor);
        }
    }

    /**
     * The starter's consumer answering on the request thread. {@code service} keeps its signature (the starter's
     * request mapping looks the method up by name on its own class) and returns {@code null}: Spring MVC's return value
     * handler for futures then marks the request handled instead of starting asynchronous processing.
     */
    static final class SynchronousConsumer extends SpringBootPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(SynchronousConsumer.class);

        SynchronousConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                LOG.warn("Error handling request due to: {}", e.getMessage(), e);
                try {
                    if (!response.isCommitted()) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                } catch (Exception ignored) {
                    // the connection is gone; nothing more to tell the caller
                }
            }
            return null;
        }

        /**
         * Answers with a {@code Content-Length} rather than in chunks, unless a route asks for chunks
         * ({@code CamelHttpChunked: true}). Camel's binding streams a platform-http answer in chunked mode by default,
         * flushing after the body and writing the last chunk when it closes: two socket writes per answer, where one
         * carries a whole answer of known length (the route's body is in memory by then; a large one spills to disk
         * with stream caching, as Camel's non-chunked path copies it through a {@code CachedOutputStream}).
         */
        @Override
        protected void afterProcess(HttpServletResponse response, Exchange exchange) throws Exception {
            Message answer = exchange.getMessage();
            if (answer.getHeader(Exchange.HTTP_CHUNKED) == null) {
                answer.setHeader(Exchange.HTTP_CHUNKED, false);
            }
            super.afterProcess(response, exchange);
        }
    }
}
