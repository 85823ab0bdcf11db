package io.conduit.esb.intake;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the {@link StartupGate} as the first filter of every request. */
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
}
