package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/** The sandbox CRM's support cases (complaints): repository, webhook sender and service. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(CrmCaseProperties.class)
public class CrmCaseSandboxConfiguration {

    @Bean
    public SupportCaseRepository crmSupportCaseRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                          @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        return new SupportCaseRepository(esbDataSource);
    }

    @Bean
    public CaseWebhookDispatcher crmCaseWebhookDispatcher(CrmCaseProperties properties,
                                                          @Qualifier("crmSupportCaseRepository") SupportCaseRepository cases) {
        return new CaseWebhookDispatcher(properties, cases);
    }

    @Bean
    public SupportCaseService crmSupportCaseService(@Qualifier("crmSupportCaseRepository") SupportCaseRepository cases,
                                                    @Qualifier("crmCaseWebhookDispatcher") CaseWebhookDispatcher dispatcher,
                                                    @Qualifier("esbDataSource") DataSource esbDataSource,
                                                    ObjectMapper objectMapper) {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        return new SupportCaseService(cases, dispatcher, tx, objectMapper, Clock.systemDefaultZone());
    }
}
