package io.conduit.esb.console;

import io.conduit.esb.console.FlowModel.Figures;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-step counters on a plain Camel context, as the console's flow pictures read them. */
class StepStatisticsTest {

    private final StepStatistics statistics = new StepStatistics();
    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void countsEachStepsExchangesFailuresAndTime() throws Exception {
        context.getCamelContextExtension().addInterceptStrategy(statistics);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("r")
                        .setProperty("seen").constant(true).id("mark")
                        .delay(20).id("slow")
                        .choice().id("decide")
                            .when(body().isEqualTo("bad")).throwException(new IllegalStateException("bad")).id("fail")
                        .end()
                        .setBody().constant("done").id("answer");
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        template.sendBody("direct:in", "good");
        template.sendBody("direct:in", "good");
        assertThatThrownBy(() -> template.sendBody("direct:in", "bad")).hasRootCauseMessage("bad");

        // a quick step's mean is 0 ms, or more on a busy machine (its first run loads classes): its counts are exact
        assertCounts(statistics.figures("mark"), 3, 0);
        Figures slow = statistics.figures("slow");
        assertThat(slow.total()).isEqualTo(3);
        assertThat(slow.meanMs()).isBetween(20L, 2_000L);
        // the choice ends with the exception its branch threw; the branch's step is counted on its own
        assertThat(statistics.figures("decide").total()).isEqualTo(3);
        assertThat(statistics.figures("decide").failed()).isEqualTo(1);
        assertCounts(statistics.figures("fail"), 1, 1);
        assertCounts(statistics.figures("answer"), 2, 0);
        assertThat(statistics.figures("never-ran")).isEqualTo(Figures.NONE);
    }

    private static void assertCounts(Figures figures, long total, long failed) {
        assertThat(figures.total()).isEqualTo(total);
        assertThat(figures.failed()).isEqualTo(failed);
        assertThat(figures.meanMs()).isBetween(0L, 2_000L);
    }
}
