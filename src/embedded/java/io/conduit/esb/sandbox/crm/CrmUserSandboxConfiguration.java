package io.conduit.esb.sandbox.crm;

import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** The sandbox CRM's users ({@code sandbox_crm.crm_user}); faults apply through the CRM's API filter. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmUserSandboxConfiguration {

    @Bean
    public CrmUserRepository crmUserRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                               @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        return new CrmUserRepository(esbDataSource);
    }
}
