package io.conduit.esb.journal;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The journal's settings ({@code esb.journal.*}), its scheduled retention job, and the registration of the FAILED
 * hop notifier with the Camel context (the intercept strategy and route policy factory are picked up as beans).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JournalProperties.class)
@EnableScheduling
public class JournalConfiguration {

    @Bean
    CamelContextConfiguration journalFailedAttempts(HopRecorder recorder) {
        FailedAttemptNotifier notifier = new FailedAttemptNotifier(recorder);
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
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
