package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** The sandbox OA's side of onboarding: it stores the "onboarding complete" notices the ESB sends back. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaOnboardingSandboxConfiguration {

    @Bean
    public OnboardingNoticeRepository oaOnboardingNoticeRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                                   @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        return new OnboardingNoticeRepository(esbDataSource);
    }

    @Bean
    public OnboardingNoticeListener oaOnboardingNoticeListener(
            @Qualifier("oaOnboardingNoticeRepository") OnboardingNoticeRepository notices, ObjectMapper objectMapper) {
        return new OnboardingNoticeListener(notices, objectMapper);
    }
}
