package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import io.conduit.esb.sandbox.fault.FaultPolicy;
import io.conduit.esb.sandbox.fault.InMemoryFaultControl;
import io.conduit.esb.sandbox.fault.SimulatedFaultException;
import io.conduit.esb.sandbox.fault.SimulatedFaultFilter;
import io.conduit.esb.sandbox.fault.Sleeper;
import jakarta.jms.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.config.JmsListenerEndpointRegistry;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The sandbox OA: tasks, accounts and HR events in schema {@code sandbox_oa}, its JMS consumer and producer on the
 * application's broker (Spring Boot's embedded Artemis), and its fault switch, applied to {@code /sandbox/oa/api/*}
 * by a filter and to the task consumer by {@link OaTaskListener} and {@link OaTaskConsumerSwitch}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(OaSandboxProperties.class)
public class OaSandboxConfiguration {

    /** The listener container factory of the OA's task consumer: its own, so it is transacted whatever else is set. */
    public static final String LISTENER_CONTAINER_FACTORY = "sandboxOaJmsListenerContainerFactory";

    private static final Logger LOG = LoggerFactory.getLogger(OaSandboxConfiguration.class);

    @Bean
    public InMemoryFaultControl oaFaults() {
        return new InMemoryFaultControl("oa");
    }

    @Bean
    public FilterRegistrationBean<SimulatedFaultFilter> sandboxOaFaultFilter(
            @Qualifier("oaFaults") InMemoryFaultControl oaFaults, ObjectMapper objectMapper,
            @Value("${esb.sandbox.faults.retry-after-seconds:5}") int retryAfterSeconds) {
        FilterRegistrationBean<SimulatedFaultFilter> registration = new FilterRegistrationBean<>(
                new SimulatedFaultFilter(oaFaults, new FaultPolicy(), Sleeper.THREAD_SLEEP, objectMapper, retryAfterSeconds));
        registration.setName("sandboxOaFaultFilter");
        registration.addUrlPatterns("/sandbox/oa/api/*");
        return registration;
    }

    @Bean(LISTENER_CONTAINER_FACTORY)
    public DefaultJmsListenerContainerFactory sandboxOaJmsListenerContainerFactory(ConnectionFactory connectionFactory) {
        DefaultJmsListenerContainerFactory factory = new DefaultJmsListenerContainerFactory();
        factory.setConnectionFactory(connectionFactory);
        factory.setSessionTransacted(true);
        factory.setPubSubDomain(false);
        factory.setConcurrency("1");
        factory.setErrorHandler(error -> {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
            if (cause instanceof SimulatedFaultException) {
                LOG.info("{}", cause.getMessage());
            } else {
                LOG.warn("Sandbox OA rejected a task message (rolled back for redelivery): {}", cause.toString());
            }
        });
        return factory;
    }

    @Bean
    public OaTaskRepository oaTaskRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                             ObjectMapper objectMapper,
                                             @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        return new OaTaskRepository(esbDataSource, objectMapper);
    }

    @Bean
    public OaAccountRepository oaAccountRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                   @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        return new OaAccountRepository(esbDataSource);
    }

    @Bean
    public OaTaskListener oaTaskListener(@Qualifier("oaTaskRepository") OaTaskRepository tasks,
                                         @Qualifier("oaFaults") InMemoryFaultControl oaFaults, ObjectMapper objectMapper) {
        return new OaTaskListener(tasks, oaFaults, new FaultPolicy(), Sleeper.THREAD_SLEEP, objectMapper);
    }

    @Bean
    public OaTaskConsumerSwitch oaTaskConsumerSwitch(@Qualifier("oaFaults") InMemoryFaultControl oaFaults,
                                                     JmsListenerEndpointRegistry registry) {
        OaTaskConsumerSwitch consumerSwitch = new OaTaskConsumerSwitch(registry);
        oaFaults.onChange(consumerSwitch);
        return consumerSwitch;
    }

    @Bean
    public HrEventPublisher oaHrEventPublisher(@Qualifier("esbDataSource") DataSource esbDataSource,
                                               ConnectionFactory connectionFactory, OaSandboxProperties properties,
                                               ObjectMapper objectMapper,
                                               @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(false);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        return new HrEventPublisher(esbDataSource, tx, jms, properties.hrEventQueue(), objectMapper,
                Clock.systemDefaultZone());
    }
}
