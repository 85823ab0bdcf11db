package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import io.conduit.esb.sandbox.fault.InMemoryFaultControl;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.config.JmsListenerEndpointRegistry;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;

/**
 * The sandbox OA's department task queues and its task events:
 * <ul>
 *   <li>{@code esb.sandbox.oa.department-queues}: the queues the OA takes department tasks from (each department's
 *       work list and its manager's), see {@link OaDepartmentTaskListeners};</li>
 *   <li>{@code esb.sandbox.oa.task-event-queue}: where it publishes task events, see {@link OaTaskEventPublisher}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaTaskEventSandboxConfiguration {

    @Bean
    public OaDepartmentTaskListeners oaDepartmentTaskListeners(
            @Value("${esb.sandbox.oa.department-queues:}") List<String> queues,
            @Qualifier("oaTaskRepository") OaTaskRepository tasks,
            @Qualifier("oaFaults") InMemoryFaultControl oaFaults, ObjectMapper objectMapper,
            @Qualifier(OaSandboxConfiguration.LISTENER_CONTAINER_FACTORY) DefaultJmsListenerContainerFactory factory,
            JmsListenerEndpointRegistry registry) {
        OaDepartmentTaskListeners listeners = new OaDepartmentTaskListeners(
                queues.stream().map(String::trim).filter(q -> !q.isEmpty()).toList(), tasks, oaFaults, objectMapper,
                factory);
        // like the inbound queue: while the OA is down its department queues are not consumed either
        oaFaults.onChange(settings -> listeners.queues().forEach(queue -> {
            var container = registry.getListenerContainer(OaDepartmentTaskListeners.LISTENER_ID_PREFIX + queue);
            if (container == null) {
                return;
            }
            boolean down = settings.mode() == io.conduit.esb.sandbox.fault.FaultMode.DOWN;
            if (down && container.isRunning()) {
                container.stop();
            } else if (!down && !container.isRunning()) {
                container.start();
            }
        }));
        return listeners;
    }

    @Bean
    public OaTaskEventPublisher oaTaskEventPublisher(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                     ConnectionFactory connectionFactory,
                                                     @Value("${esb.sandbox.oa.task-event-queue:OA.TASK.EVENTS}") String queue,
                                                     ObjectMapper objectMapper,
                                                     @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(false);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        return new OaTaskEventPublisher(esbDataSource, tx, jms, queue, objectMapper, Clock.systemDefaultZone());
    }
}
