package io.conduit.esb.intake;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform-http consumer answers within the call on the request thread and hands Spring MVC no future (which would
 * start the servlet's asynchronous mode and a second dispatch of the request through every filter).
 */
class PlatformHttpConfigurationTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** The consumer of a route from platform-http, as the ESB's engine creates it. */
    private SpringBootPlatformHttpConsumer consumer(Processor processor) throws Exception {
        camel.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME,
                new PlatformHttpConfiguration.SynchronousEngine(0));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/bench/orders").routeId("orders").process(processor);
            }
        });
        camel.start();
        return (SpringBootPlatformHttpConsumer) ((PlatformHttpConsumerAware) camel.getRoute("orders").getConsumer())
                .getPlatformHttpConsumer();
    }

    private static MockHttpServletRequest post(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/bench/orders");
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setAsyncSupported(true);
        return request;
    }

    @Test
    void theRouteRunsOnTheCallersThreadAndTheAnswerIsWrittenBeforeServiceReturns() throws Exception {
        Thread caller = Thread.currentThread();
        Thread[] ranOn = new Thread[1];
        SpringBootPlatformHttpConsumer consumer = consumer(exchange -> {
            ranOn[0] = Thread.currentThread();
            exchange.getMessage().setHeader("CamelHttpResponseCode", 201);
            exchange.getMessage().setBody("{\"orderNo\":\"B1\"}");
        });
        MockHttpServletRequest request = post("{\"customer\":\"c\"}");
        MockHttpServletResponse response = new MockHttpServletResponse();

        CompletableFuture<Void> future = consumer.service(request, response);

        assertThat(future).as("no future: Spring MVC marks the request handled, no asynchronous dispatch").isNull();
        assertThat(request.isAsyncStarted()).isFalse();
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(ranOn[0]).isSameAs(caller);
        assertThat(response.getContentAsString()).isEqualTo("{\"orderNo\":\"B1\"}");
    }

    @Test
    void anAnswerCarriesItsLengthInsteadOfBeingSentInChunks() throws Exception {
        String body = "{\"orderNo\":\"B\u00e91\"}";
        SpringBootPlatformHttpConsumer consumer = consumer(exchange -> {
            exchange.getMessage().setHeader("CamelHttpResponseCode", 201);
            exchange.getMessage().setHeader("Content-Type", "application/json");
            exchange.getMessage().setBody(body);
        });
        MockHttpServletResponse response = new MockHttpServletResponse();

        consumer.service(post("{}"), response);

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentLength()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(response.getHeaderNames()).as("the header that chose it is not sent").noneMatch(h -> h.startsWith("Camel"));
    }

    @Test
    void aRouteThatAsksForChunksGetsThem() throws Exception {
        SpringBootPlatformHttpConsumer consumer = consumer(exchange -> {
            exchange.getMessage().setHeader("CamelHttpChunked", true);
            exchange.getMessage().setHeader("Content-Type", "application/json");
            exchange.getMessage().setBody("{\"n\":1}");
        });
        MockHttpServletResponse response = new MockHttpServletResponse();

        consumer.service(post("{}"), response);

        assertThat(response.getContentAsString()).isEqualTo("{\"n\":1}");
        assertThat(response.getContentLength()).as("no length set: the container sends it in chunks").isZero();
    }

    @Test
    void aFailingRouteIsAnswered500WithinTheCall() throws Exception {
        SpringBootPlatformHttpConsumer consumer = consumer(exchange -> {
            throw new IllegalStateException("the route broke");
        });
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(consumer.service(post("{}"), response)).isNull();

        assertThat(response.getStatus()).isEqualTo(500);
    }
}
