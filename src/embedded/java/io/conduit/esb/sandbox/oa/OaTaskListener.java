package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.fault.FaultControl;
import io.conduit.esb.sandbox.fault.FaultDecision;
import io.conduit.esb.sandbox.fault.FaultPolicy;
import io.conduit.esb.sandbox.fault.SimulatedFaultException;
import io.conduit.esb.sandbox.fault.Sleeper;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.annotation.JmsListener;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The sandbox OA's consumer of work tasks on {@code esb.sandbox.oa.task-queue}. Runs in a transacted JMS session:
 * whatever fails (a simulated fault, an unreadable message, the database) rolls the session back, and the broker
 * redelivers the message. A message redelivered after its task was stored is not stored twice.
 */
public class OaTaskListener {

    /** The listener container's id in the {@code JmsListenerEndpointRegistry}. */
    public static final String LISTENER_ID = "sandboxOaTaskListener";

    private static final Logger LOG = LoggerFactory.getLogger(OaTaskListener.class);

    private final OaTaskRepository tasks;
    private final FaultControl faults;
    private final FaultPolicy policy;
    private final Sleeper sleeper;
    private final ObjectMapper objectMapper;

    public OaTaskListener(OaTaskRepository tasks, FaultControl faults, FaultPolicy policy, Sleeper sleeper,
                          ObjectMapper objectMapper) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    }

    @JmsListener(id = LISTENER_ID, destination = "${esb.sandbox.oa.task-queue:OA.TASKS.IN}",
            containerFactory = OaSandboxConfiguration.LISTENER_CONTAINER_FACTORY)
    public void onMessage(Message message) throws JMSException, InterruptedException {
        FaultDecision decision = policy.decide(faults.current());
        if (decision.delayMs() > 0) {
            sleeper.sleep(decision.delayMs());
        }
        switch (decision.outcome()) {
            case FAIL -> throw new SimulatedFaultException("Simulated OA failure: task message "
                    + message.getJMSMessageID() + " rolled back for redelivery");
            case UNAVAILABLE -> throw new SimulatedFaultException("Sandbox OA is down: task message "
                    + message.getJMSMessageID() + " rolled back for redelivery");
            case PROCEED -> store(message);
        }
    }

    private void store(Message message) throws JMSException {
        TaskMessage task = TaskMessage.parse(text(message), objectMapper);
        int priority = message.getJMSPriority();
        String messageId = message.getJMSMessageID();
        tasks.insert(task, priority, messageId).ifPresentOrElse(
                id -> LOG.info("Sandbox OA task {} created in queue {} (priority {}, ref {})", id, task.queue(),
                        priority, task.externalRef()),
                () -> LOG.info("Sandbox OA ignored redelivered task message {}", messageId));
    }

    private static String text(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            return new String(data, StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("task message must be a text or bytes message, not "
                + message.getClass().getSimpleName());
    }
}
