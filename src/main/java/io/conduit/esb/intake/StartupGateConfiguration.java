package io.conduit.esb.intake;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import io.micrometer.core.instrument.MeterRegistry;

/** Registers the {@link StartupGate} as the first filter of every request and the {@link OverloadGate} second. */
@Configuration(proxyBeanMethods = false)
public class StartupGateConfiguration {

    @Bean
    FilterRegistrationBean<StartupGate> startupGate(ApplicationAvailability availability,
                                                    @Value("${esb.intake.not-ready-retry-after-seconds:5}") int retryAfter) {
        FilterRegistrationBean<StartupGate> registration = new FilterRegistrationBean<>(new StartupGate(availability, retryAfter));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<OverloadGate> overloadGate(@Value("${esb.intake.max-in-flight:512}") int maxInFlight,
                                                      @Value("${esb.intake.overloaded-retry-after-seconds:1}") int retryAfter,
                                                      MeterRegistry meters) {
        FilterRegistrationBean<OverloadGate> registration =
                new FilterRegistrationBean<>(new OverloadGate(maxInFlight, retryAfter, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
