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
 * The two databases the ESB talks to: its own ({@code spring.datasource.*}: journal, parking, flow state)
 * and the ERP's ({@code esb.systems.erp.datasource.*}), which the order handoff writes into through the
 * ERP's staging tables. They are separate pools with separate transaction managers even when, as in the
 * embedded default, both live in one PostgreSQL server.
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

    @Bean
    @ConfigurationProperties("esb.systems.erp.datasource")
    public DataSourceProperties erpDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @ConfigurationProperties("esb.systems.erp.datasource.hikari")
    public HikariDataSource erpDataSource(@Qualifier("erpDataSourceProperties") DataSourceProperties props) {
        HikariDataSource ds = props.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("erp");
        return ds;
    }

    @Bean
    public PlatformTransactionManager erpTransactionManager(@Qualifier("erpDataSource") DataSource erpDataSource) {
        return new DataSourceTransactionManager(erpDataSource);
    }

    /** Referenced by routes as {@code transacted: {ref: erpTransaction}}: one ERP database transaction. */
    @Bean
    public SpringTransactionPolicy erpTransaction(
            @Qualifier("erpTransactionManager") PlatformTransactionManager erpTransactionManager) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(new TransactionTemplate(erpTransactionManager));
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }
}
