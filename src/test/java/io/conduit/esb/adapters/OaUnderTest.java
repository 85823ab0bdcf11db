package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.function.Supplier;

/** One OA adapter under the contract tests: its port, and what the test needs to see and do in its OA. */
interface OaUnderTest extends AutoCloseable {

    String name();

    /** The Camel context whose {@code direct:oa.create-task} is this adapter's. */
    CamelContext camel();

    /** Calls port oa.create-task with a task; the port's result. */
    default JsonNode createTask(String task) throws Exception {
        String result = Unreachable.or(camel()).createProducerTemplate().requestBody("direct:oa.create-task", task, String.class);
        return new ObjectMapper().readTree(result);
    }

    /** A department the OA has. */
    String department();

    /** The tasks the OA holds for this external reference (not counting escalations), as the OA shows them. */
    List<Shown> tasks(String externalRef, int expected) throws Exception;

    /** The escalations of the task the OA shows (manager's tasks, notes). */
    List<Shown> escalations(String externalRef, int expected) throws Exception;

    /** How the OA shows a canonical priority (0-9): its own priority (a JMS priority, a Redmine priority's name). */
    String priorityShownFor(int canonicalPriority);

    /** Runs the action while the OA cannot be reached. */
    <T> T whileDown(Supplier<T> action) throws Exception;

    @Override
    void close();

    /**
     * A task as the OA shows it: its id there (the one the port answers), department, priority (the OA's own), due
     * time (an instant) and external reference; for an escalation, the text the manager reads.
     */
    record Shown(String taskId, String department, String priority, String dueAt, String externalRef, String text) {
    }
}
