package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.fault.FaultControl;
import io.conduit.esb.sandbox.fault.FaultDecision;
import io.conduit.esb.sandbox.fault.FaultPolicy;
import io.conduit.esb.sandbox.fault.SimulatedFaultException;
import io.conduit.esb.sandbox.fault.Sleeper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.config.JmsListenerContainerFactory;
import org.springframework.jms.config.JmsListenerEndpointRegistrar;
import org.springframework.jms.annotation.JmsListenerConfigurer;
import org.springframework.jms.config.SimpleJmsListenerEndpoint;

import java.util.List;
import java.util.Objects;

/**
 * The sandbox OA's consumers of department task queues ({@code esb.sandbox.oa.department-queues}, e.g.
 * {@code OA.TASKS.LOGISTICS} and its manager queue {@code OA.TASKS.LOGISTICS.MANAGER}): one transacted listener per
 * queue, each storing a task whose {@code queue} is the JMS queue it came from (a department's work list in the OA)
 * and whose priority is the message's JMS priority. The message is the same JSON as on {@code OA.TASKS.IN}; its own
 * {@code queue}/{@code department} field is kept in the task body only. Faults apply as on the inbound queue: a
 * failing or down OA rolls the message back for the broker to redeliver.
 */
public class OaDepartmentTaskListeners implements JmsListenerConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(OaDepartmentTaskListeners.class);
    /** Listener container ids are this prefix plus the queue name. */
    public static final String LISTENER_ID_PREFIX = "sandboxOaDepartment:";

    private final List<String> queues;
    private final OaTaskRepository tasks;
    private final FaultControl faults;
    private final FaultPolicy policy;
    private final ObjectMapper objectMapper;
    private final JmsListenerContainerFactory<?> containerFactory;

    public OaDepartmentTaskListeners(List<String> queues, OaTaskRepository tasks, FaultControl faults,
                                     ObjectMapper objectMapper, JmsListenerContainerFactory<?> containerFactory) {
        this.queues = List.copyOf(queues);
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.policy = new FaultPolicy();
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.containerFactory = Objects.requireNonNull(containerFactory, "containerFactory");
    }

    public List<String> queues() {
        return queues;
    }

    @Override
    public void configureJmsListeners(JmsListenerEndpointRegistrar registrar) {
        for (String queue : queues) {
            SimpleJmsListenerEndpoint endpoint = new SimpleJmsListenerEndpoint();
            endpoint.setId(LISTENER_ID_PREFIX + queue);
            endpoint.setDestination(queue);
            endpoint.setMessageListener(message -> {
                try {
                    onMessage(queue, message);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            registrar.registerEndpoint(endpoint, containerFactory);
        }
    }

    void onMessage(String queue, Message message) throws JMSException {
        FaultDecision decision = policy.decide(faults.current());
        if (decision.delayMs() > 0) {
            try {
                Sleeper.THREAD_SLEEP.sleep(decision.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulatedFaultException("Interrupted while simulating a slow OA");
            }
        }
        if (decision.outcome() != FaultDecision.Outcome.PROCEED) {
            throw new SimulatedFaultException("Sandbox OA is " + decision.outcome() + ": task message "
                    + message.getJMSMessageID() + " on " + queue + " rolled back for redelivery");
        }
        String text = message instanceof TextMessage t ? t.getText() : message.getBody(String.class);
        TaskMessage parsed = TaskMessage.parse(text, objectMapper);
        TaskMessage task = new TaskMessage(queue, parsed.title(), parsed.body(), parsed.externalRef());
        int priority = message.getJMSPriority();
        String messageId = message.getJMSMessageID();
        tasks.insert(task, priority, messageId).ifPresentOrElse(
                id -> LOG.info("Sandbox OA task {} created in queue {} (priority {}, ref {})", id, queue, priority,
                        task.externalRef()),
                () -> LOG.info("Sandbox OA ignored redelivered task message {}", messageId));
    }
}
