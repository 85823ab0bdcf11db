package io.conduit.esb.sandbox;

import io.conduit.esb.sandbox.erp.ErpFaults;
import io.conduit.esb.sandbox.fault.FaultSettings;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Creates the sandbox systems' schemas during context startup, before any Camel route starts: one Flyway
 * instance per schema, each through the ESB's superuser connection ({@code esbDataSource}), because the ERP
 * migration also creates the {@code erp_app} login role the ESB uses to reach the ERP.
 * <p>
 * The sandbox ERP starts healthy: {@link #erpFaults} resets any fault left in the database by an earlier run
 * (e.g. the {@code erp_app} role left without LOGIN), and the ESB's {@code erpDataSource} is made to depend on it,
 * so the ESB never opens an ERP connection before the ERP exists and accepts logins.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class SandboxSchemaConfiguration {

    public static final String CRM_SCHEMA = "sandbox_crm";
    public static final String ERP_SCHEMA = "erp";
    public static final String OA_SCHEMA = "sandbox_oa";

    public static final String CRM_LOCATION = "classpath:db/sandbox/crm";
    public static final String ERP_LOCATION = "classpath:db/sandbox/erp";
    public static final String OA_LOCATION = "classpath:db/sandbox/oa";

    @Bean
    public SandboxSchemaMigration sandboxCrmFlyway(@Qualifier("esbDataSource") DataSource esbDataSource) {
        return SandboxSchemaMigration.migrate(esbDataSource, CRM_SCHEMA, CRM_LOCATION);
    }

    @Bean
    public SandboxSchemaMigration sandboxErpFlyway(@Qualifier("esbDataSource") DataSource esbDataSource) {
        return SandboxSchemaMigration.migrate(esbDataSource, ERP_SCHEMA, ERP_LOCATION);
    }

    @Bean
    public SandboxSchemaMigration sandboxOaFlyway(@Qualifier("esbDataSource") DataSource esbDataSource) {
        return SandboxSchemaMigration.migrate(esbDataSource, OA_SCHEMA, OA_LOCATION);
    }

    /** The ERP's fault switch, reset to normal at startup. */
    @Bean
    public ErpFaults erpFaults(@Qualifier("sandboxErpFlyway") SandboxSchemaMigration sandboxErpFlyway,
                               @Qualifier("esbDataSource") DataSource esbDataSource) {
        ErpFaults faults = new ErpFaults(esbDataSource);
        faults.apply(FaultSettings.NORMAL);
        return faults;
    }

    /** Makes the ESB's {@code erpDataSource} (if defined) wait for the sandbox ERP. */
    @Bean
    public static BeanFactoryPostProcessor sandboxErpStartupOrder() {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("erpDataSource")) {
                BeanDefinition erp = beanFactory.getBeanDefinition("erpDataSource");
                String[] dependsOn = erp.getDependsOn() == null ? new String[0] : erp.getDependsOn();
                if (!Arrays.asList(dependsOn).contains("erpFaults")) {
                    erp.setDependsOn(Stream.concat(Arrays.stream(dependsOn), Stream.of("erpFaults"))
                            .toArray(String[]::new));
                }
            }
        };
    }
}
