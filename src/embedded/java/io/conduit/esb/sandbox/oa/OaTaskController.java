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
    private final OaTaskEventPublisher events;

    public OaTaskController(OaTaskRepository tasks, OaTaskEventPublisher events) {
        this.tasks = tasks;
        this.events = events;
    }

    /**
     * The body of a change: a new status and/or an assignee, and a resolution text (with DONE or REJECTED). Each
     * change is published as a task event ({@link OaTaskEventPublisher}).
     */
    public record StatusChange(String status, String assignee, String resolution) {
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
        if (change == null || (blank(change.status()) && blank(change.assignee()))) {
            throw SandboxProblems.missingFields(List.of("status"));
        }
        if (!events.change(id, blank(change.status()) ? null : parse(change.status()),
                blank(change.assignee()) ? null : change.assignee().trim(), change.resolution())) {
            throw SandboxProblems.notFound("Task", id);
        }
        return get(id);
    }

    /** The task events published for a task (assigned, status changed), oldest first. */
    @GetMapping("/{id}/events")
    public List<java.util.Map<String, Object>> events(@PathVariable String id) {
        get(id);
        return events.events(id);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
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
