package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The sandbox ERP's beans beyond its schema and fault switch (both in
 * {@link io.conduit.esb.sandbox.SandboxSchemaConfiguration}, because they must exist before the ESB's ERP pool).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpSandboxConfiguration {

    @Bean
    public ErpSalesOrders erpSalesOrders(@Qualifier("esbDataSource") DataSource esbDataSource,
                                         @Qualifier("sandboxErpFlyway") SandboxSchemaMigration sandboxErpFlyway) {
        return new ErpSalesOrders(esbDataSource);
    }
}
