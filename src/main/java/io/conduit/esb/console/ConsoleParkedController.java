package io.conduit.esb.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.parking.ParkedFilter;
import io.conduit.esb.parking.ParkedMessage;
import io.conduit.esb.parking.Replays;
import io.conduit.esb.parking.Replays.ReplayJob;
import io.conduit.esb.parking.Replays.ReplayOutcome;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Parked messages in the console: filter, dry run, bulk replay as a background job with live progress, replay one
 * (optionally with an edited payload) and discard with a reason. Every action goes through bean {@code replays},
 * which journals it with the logged-in user as the actor. Replay and discard need the OPERATOR role.
 */
@Controller
@RequestMapping("/console")
public class ConsoleParkedController {

    static final int PAGE = 200;
    /** htmx event the page listens to: the parked messages changed, reload the table. */
    static final String CHANGED_EVENT = "parked-changed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectProvider<Replays> replays;
    private final ObjectProvider<OpsOverview> overview;

    public ConsoleParkedController(ObjectProvider<Replays> replays, ObjectProvider<OpsOverview> overview) {
        this.replays = replays;
        this.overview = overview;
    }

    @GetMapping("/parked")
    public String page(@ModelAttribute("form") ParkedForm form, Model model) {
        model.addAttribute("flows", ConsoleForms.flowNames(overview));
        Replays service = replays.getIfAvailable();
        model.addAttribute("available", service != null);
        if (service != null) {
            table(service, form, model);
            model.addAttribute("jobs", service.recentJobs(5));
        }
        return "console/parked";
    }

    /** The table alone, reloaded after a replay or discard. */
    @GetMapping("/parked/table")
    public String table(@ModelAttribute("form") ParkedForm form, Model model) {
        table(service(), form, model);
        return "console/parked :: messageTable";
    }

    @PostMapping("/parked/dry-run")
    public String dryRun(@ModelAttribute("form") ParkedForm form, Authentication user, Model model) {
        ConsoleAccess.requireOperator(user);
        ParkedFilter selection = form.selection();
        if (selection == null) {
            return notice(model, "error", "Tick the messages to replay, or choose every message matching the filter.");
        }
        model.addAttribute("plan", service().dryRun(selection));
        return "console/parked :: replayPlan";
    }

    @PostMapping("/parked/replay")
    public String replay(@ModelAttribute("form") ParkedForm form, Authentication user, Model model,
                         HttpServletResponse response) {
        ConsoleAccess.requireOperator(user);
        ParkedFilter selection = form.selection();
        if (selection == null) {
            return notice(model, "error", "Tick the messages to replay, or choose every message matching the filter.");
        }
        ReplayJob job = service().start(selection, ConsoleAccess.actor(user));
        return job(job, model, response);
    }

    /** Progress of a replay job; the fragment polls itself while the job runs. */
    @GetMapping("/replays/{id}")
    public String job(@PathVariable UUID id, Model model, HttpServletResponse response) {
        ReplayJob job = service().job(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no replay job " + id));
        return job(job, model, response);
    }

    @PostMapping("/parked/discard")
    public String discard(@ModelAttribute("form") ParkedForm form, @RequestParam(required = false) String discardReason,
                          Authentication user, Model model, HttpServletResponse response) {
        ConsoleAccess.requireOperator(user);
        ParkedFilter selection = form.selection();
        if (selection == null) {
            return notice(model, "error", "Tick the messages to discard, or choose every message matching the filter.");
        }
        String reason = ConsoleForms.blankToNull(discardReason);
        if (reason == null) {
            return notice(model, "error", "A discard needs a reason: say why these messages will never be delivered.");
        }
        int discarded = service().discard(selection, reason, ConsoleAccess.actor(user));
        response.setHeader("HX-Trigger", CHANGED_EVENT);
        return notice(model, "ok", "Discarded " + discarded + (discarded == 1 ? " message." : " messages."));
    }

    @GetMapping("/parked/{id}")
    public String message(@PathVariable UUID id, Model model) {
        ParkedMessage message = service().get(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no parked message " + id));
        model.addAttribute("message", message);
        return "console/parked-message";
    }

    /** Replays one message now; a payload that differs from the parked one is replayed as an edit (journaled so). */
    @PostMapping("/parked/{id}/replay")
    public String replayOne(@PathVariable UUID id, @RequestParam(required = false) String payload, Authentication user,
                            RedirectAttributes redirect) {
        ConsoleAccess.requireOperator(user);
        ParkedMessage message = service().get(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no parked message " + id));
        String edited = payload == null || sameText(payload, message.payload()) ? null : payload;
        try {
            ReplayOutcome outcome = service().replay(id, edited, ConsoleAccess.actor(user));
            redirect.addFlashAttribute("outcome", outcome);
            redirect.addFlashAttribute("edited", edited != null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            redirect.addFlashAttribute("error", "Not replayed: " + e.getMessage());
        }
        return "redirect:/console/parked/" + id;
    }

    @PostMapping("/parked/{id}/discard")
    public String discardOne(@PathVariable UUID id, @RequestParam(required = false) String discardReason,
                             Authentication user, RedirectAttributes redirect) {
        ConsoleAccess.requireOperator(user);
        String reason = ConsoleForms.blankToNull(discardReason);
        if (reason == null) {
            redirect.addFlashAttribute("error", "A discard needs a reason.");
        } else {
            int discarded = service().discard(ParkedFilter.one(id), reason, ConsoleAccess.actor(user));
            redirect.addFlashAttribute(discarded == 1 ? "notice" : "error",
                    discarded == 1 ? "Discarded." : "Nothing discarded: the message is no longer parked.");
        }
        return "redirect:/console/parked/" + id;
    }

    private void table(Replays service, ParkedForm form, Model model) {
        ParkedFilter filter = form.filter();
        List<ParkedMessage> messages = service.find(filter, PAGE);
        model.addAttribute("messages", messages);
        model.addAttribute("total", service.count(filter));
        model.addAttribute("page", PAGE);
    }

    private String job(ReplayJob job, Model model, HttpServletResponse response) {
        if (!"RUNNING".equals(job.status())) {
            response.setHeader("HX-Trigger", CHANGED_EVENT);
        }
        model.addAttribute("job", job);
        return "console/parked :: replayJob";
    }

    private static String notice(Model model, String kind, String text) {
        model.addAttribute("noticeKind", kind);
        model.addAttribute("noticeText", text);
        return "console/parked :: actionNotice";
    }

    /** Same message: equal JSON (the form shows it indented), or the same text apart from line ends and edges. */
    private static boolean sameText(String a, String b) {
        if (Objects.equals(normalize(a), normalize(b))) {
            return true;
        }
        try {
            return a != null && b != null && JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String normalize(String text) {
        return text == null ? null : text.strip().replace("\r\n", "\n");
    }

    private Replays service() {
        Replays service = replays.getIfAvailable();
        if (service == null) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "parked-message recovery is not running");
        }
        return service;
    }
}
