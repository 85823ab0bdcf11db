package io.conduit.esb.delivery;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The delivery ledger's own small pool on the ESB's database ({@code spring.datasource.*}): a versioned delivery
 * holds one connection for the length of its port call ({@link DeliveryLedger}). Its size bounds how many
 * versioned deliveries run at once; it should be at least the number of delivery consumers.
 */
@Configuration(proxyBeanMethods = false)
public class DeliveryLedgerConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource deliveryLockDataSource(@Qualifier("esbDataSourceProperties") DataSourceProperties esb,
                                            @Value("${esb.delivery.lock-pool-size:24}") int size,
                                            @Value("${esb.delivery.lock-timeout:PT60S}") Duration lockTimeout) {
        HikariDataSource ds = esb.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("esb-delivery-locks");
        ds.setMaximumPoolSize(size);
        ds.setMinimumIdle(Math.min(2, size));
        ds.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        // set once per connection, not per claim: a claim waits this long for a record another delivery holds
        ds.setConnectionInitSql("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
        return ds;
    }

    @Bean
    DeliveryLedger deliveryLedger(@Qualifier("deliveryLockDataSource") HikariDataSource locks) {
        return new JdbcDeliveryLedger(locks);
    }
}
