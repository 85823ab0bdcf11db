package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sandbox OA's task API under {@code /sandbox/oa/api/tasks}: list the tasks that arrived over JMS (by queue,
 * external reference, status) and move a task along ({@code PATCH {"status":"DONE"}}).
 */
@RestController
@RequestMapping("/sandbox/oa/api/tasks")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaTaskController {

    private final OaTaskRepository tasks;

    public OaTaskController(OaTaskRepository tasks) {
        this.tasks = tasks;
    }

    /** The body of a status change. */
    public record StatusChange(String status) {
    }

    @GetMapping
    public List<OaTask> list(@RequestParam(required = false) String queue,
                             @RequestParam(required = false) String externalRef,
                             @RequestParam(required = false) String status) {
        return tasks.list(queue, externalRef, status == null ? null : parse(status).name());
    }

    @GetMapping("/{id}")
    public OaTask get(@PathVariable String id) {
        return tasks.find(id).orElseThrow(() -> SandboxProblems.notFound("Task", id));
    }

    @PatchMapping("/{id}")
    public OaTask changeStatus(@PathVariable String id, @RequestBody StatusChange change) {
        if (change == null || change.status() == null || change.status().isBlank()) {
            throw SandboxProblems.missingFields(List.of("status"));
        }
        if (!tasks.updateStatus(id, parse(change.status()))) {
            throw SandboxProblems.notFound("Task", id);
        }
        return get(id);
    }

    private static OaTask.Status parse(String status) {
        try {
            return OaTask.Status.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task status '" + status + "', expected one of "
                    + Arrays.toString(OaTask.Status.values()));
        }
    }
}
