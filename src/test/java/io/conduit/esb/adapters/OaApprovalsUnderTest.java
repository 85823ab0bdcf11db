package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;

/**
 * One OA adapter under the approval contract tests (OaApprovalPortContractIT): its ports oa.create-approval-task,
 * oa.remind-approval-task, oa.cancel-approval-task, what the OA shows of an approval task, and a person deciding it
 * there (which the OA - or the adapter polling it - reports on the approval decision queue).
 */
interface OaApprovalsUnderTest extends AutoCloseable {

    String name();

    /** The Camel context whose approval ports are this adapter's. */
    CamelContext camel();

    default JsonNode createApprovalTask(String task) throws Exception {
        return call("direct:oa.create-approval-task", task);
    }

    default JsonNode remindApprovalTask(String reminder) throws Exception {
        return call("direct:oa.remind-approval-task", reminder);
    }

    default JsonNode cancelApprovalTask(String cancel) throws Exception {
        return call("direct:oa.cancel-approval-task", cancel);
    }

    private JsonNode call(String port, String body) throws Exception {
        String result = Unreachable.or(camel()).createProducerTemplate().requestBody(port, body, String.class);
        return new ObjectMapper().readTree(result);
    }

    /** A group of approvers the OA has. */
    String approverGroup();

    /** The approval tasks the OA holds for the reference, as it shows them. */
    List<ShownApproval> approvals(String externalRef) throws Exception;

    /** How many reminders the task shows. */
    int reminders(String taskId) throws Exception;

    /**
     * A person decides the task in the OA; the OA's HTTP status (2xx: decided; 409: not open; 422: a decision the task
     * does not allow).
     */
    int decide(String taskId, String decision, BigDecimal quantity, String comment, String decidedBy) throws Exception;

    /** The queue the OA's approval decisions arrive on (esb.queues.oa-approval-decisions). */
    String approvalDecisionQueue();

    /** Runs the action while the OA cannot be reached. */
    <T> T whileApprovalsDown(Supplier<T> action) throws Exception;

    @Override
    void close();

    /** An approval task as the OA shows it. */
    record ShownApproval(String taskId, String externalRef, int version, int step, int level, String group,
                         String status, String text, JsonNode data) {
    }
}
