package io.conduit.esb.adapters;

import jakarta.jms.ConnectionFactory;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * An OA adapter under the contract tests of inbound port oa.task-events: where its task events arrive, what brings
 * them there (a push by the OA, or a poller of the adapter), and what a person does in the OA.
 */
interface OaTaskEventsUnderTest extends OaUnderTest {

    /** The JMS queue the adapter's task events arrive on. */
    String taskEventQueue();

    /**
     * Starts what brings the OA's task events onto the queue (the adapter's poller, on the ESB's database and broker),
     * and holds the ESB's own consumer of that queue, if any, so the test sees what arrives.
     */
    void startTaskEvents(DataSource esbDatabase, ConnectionFactory broker) throws Exception;

    /** Stops what {@link #startTaskEvents} started; a later start resumes (a poller: from its saved watermark). */
    void stopTaskEvents() throws Exception;

    /** Whether the events are polled (a watermark to keep) rather than pushed by the OA. */
    boolean polls();

    /** A person moves the task along in the OA, by its own API: IN_PROGRESS, DONE or REJECTED. */
    void changeStatus(String taskId, String status) throws Exception;

    /** When the OA says the task last changed, as precisely as it keeps it; empty when it does not say. */
    Optional<String> changedAt(String taskId) throws Exception;
}
