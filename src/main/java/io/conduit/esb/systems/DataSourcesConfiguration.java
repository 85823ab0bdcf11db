package io.conduit.esb.systems;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.flyway.FlywayDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * The databases the ESB talks to: its own ({@code spring.datasource.*}: journal, parking, flow state) and each
 * declared system's that is reached through its database ({@code esb.systems.<name>.datasource.*}, e.g. the sandbox
 * ERP's staging tables; see {@link SystemDataSources}). They are separate pools with separate transaction managers
 * even when, as in the embedded default, they live in one PostgreSQL server.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourcesConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource")
    public DataSourceProperties esbDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @Primary
    @FlywayDataSource
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource esbDataSource(DataSourceProperties esbDataSourceProperties) {
        HikariDataSource ds = esbDataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("esb");
        return ds;
    }

    @Bean
    @Primary
    public PlatformTransactionManager transactionManager(DataSource esbDataSource) {
        return new DataSourceTransactionManager(esbDataSource);
    }

    @Bean
    @Primary
    public JdbcTemplate jdbcTemplate(DataSource esbDataSource) {
        return new JdbcTemplate(esbDataSource);
    }

    @Bean
    @Primary
    public NamedParameterJdbcTemplate namedParameterJdbcTemplate(DataSource esbDataSource) {
        return new NamedParameterJdbcTemplate(esbDataSource);
    }

    /** Referenced by routes as {@code transacted: {ref: esbTransaction}}: one transaction on the ESB's own database. */
    @Bean
    public SpringTransactionPolicy esbTransaction(
            @Qualifier("transactionManager") PlatformTransactionManager transactionManager) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(new TransactionTemplate(transactionManager));
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /**
     * One connection pool, transaction manager and transaction policy per declared system that has a database
     * ({@code esb.systems.<name>.datasource.url}): beans {@code <name>DataSource}, {@code <name>TransactionManager}
     * and {@code <name>Transaction} (referenced by an adapter's SQL steps as {@code dataSource: "#erpDataSource"}).
     */
    @Bean
    static SystemDataSources systemDataSources() {
        return new SystemDataSources();
    }
}
