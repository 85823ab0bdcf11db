package io.conduit.esb.journal;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.nio.file.Path;
import java.util.Collection;

/**
 * The journal's settings ({@code esb.journal.*}), its scheduled retention job, and the registration of the FAILED
 * hop notifier with the Camel context (the intercept strategy and route policy factory are picked up as beans).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JournalProperties.class)
@EnableScheduling
public class JournalConfiguration {

    /** Adds each flow's journal file ({@code <routes dir>/<flow>.journal.yaml}) to the bound settings. */
    @Bean
    static BeanPostProcessor flowJournalFiles(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof JournalProperties settings) {
                    FlowJournalFiles.mergeInto(settings, Path.of(environment.getProperty("esb.routes.dir", "routes")));
                }
                return bean;
            }
        };
    }

    @Bean
    CamelContextConfiguration journalFailedAttempts(HopRecorder recorder) {
        FailedAttemptNotifier notifier = new FailedAttemptNotifier(recorder);
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                // the recorder keeps the routes it looked up by id; a reloaded route file replaces them
                context.addLifecycleStrategy(new LifecycleStrategySupport() {
                    @Override
                    public void onRoutesAdd(Collection<Route> routes) {
                        recorder.forgetRoutes();
                    }

                    @Override
                    public void onRoutesRemove(Collection<Route> routes) {
                        recorder.forgetRoutes();
                    }
                });
                if (recorder.enabled()) {
                    context.getManagementStrategy().addEventNotifier(notifier);
                    ServiceHelper.startService(notifier);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
            }
        };
    }
}
