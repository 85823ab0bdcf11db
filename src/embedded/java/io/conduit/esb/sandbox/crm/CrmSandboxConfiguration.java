package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import io.conduit.esb.sandbox.fault.FaultPolicy;
import io.conduit.esb.sandbox.fault.InMemoryFaultControl;
import io.conduit.esb.sandbox.fault.Sleeper;
import io.conduit.esb.sandbox.fault.SimulatedFaultFilter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The sandbox CRM: opportunities in schema {@code sandbox_crm} of the ESB's database, its webhook sender, and its
 * fault switch with the filter that applies it to {@code /sandbox/crm/api/*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties({CrmSandboxProperties.class, CrmQuoteProperties.class})
public class CrmSandboxConfiguration {

    @Bean
    public InMemoryFaultControl crmFaults() {
        return new InMemoryFaultControl("crm");
    }

    @Bean
    public FilterRegistrationBean<SimulatedFaultFilter> sandboxCrmFaultFilter(
            @Qualifier("crmFaults") InMemoryFaultControl crmFaults, ObjectMapper objectMapper,
            @Value("${esb.sandbox.faults.retry-after-seconds:5}") int retryAfterSeconds) {
        FilterRegistrationBean<SimulatedFaultFilter> registration = new FilterRegistrationBean<>(
                new SimulatedFaultFilter(crmFaults, new FaultPolicy(), Sleeper.THREAD_SLEEP, objectMapper, retryAfterSeconds));
        registration.setName("sandboxCrmFaultFilter");
        registration.addUrlPatterns("/sandbox/crm/api/*");
        return registration;
    }

    @Bean
    public OpportunityRepository crmOpportunityRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                          ObjectMapper objectMapper,
                                                          @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        return new OpportunityRepository(esbDataSource, objectMapper);
    }

    @Bean
    public WebhookLog crmWebhookLog(@Qualifier("esbDataSource") DataSource esbDataSource) {
        return new WebhookLog(esbDataSource);
    }

    @Bean
    public WebhookDispatcher crmWebhookDispatcher(CrmSandboxProperties properties,
                                                  @Qualifier("crmWebhookLog") WebhookLog webhookLog) {
        return new WebhookDispatcher(properties, webhookLog);
    }

    @Bean
    public OpportunityService crmOpportunityService(@Qualifier("crmOpportunityRepository") OpportunityRepository repository,
                                                    @Qualifier("crmWebhookLog") WebhookLog webhookLog,
                                                    @Qualifier("crmWebhookDispatcher") WebhookDispatcher dispatcher,
                                                    @Qualifier("esbDataSource") DataSource esbDataSource,
                                                    ObjectMapper objectMapper) {
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        return new OpportunityService(repository, webhookLog, dispatcher, tx, objectMapper, Clock.systemDefaultZone());
    }
}
