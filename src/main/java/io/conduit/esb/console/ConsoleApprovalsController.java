package io.conduit.esb.console;

import io.conduit.esb.approvals.ApprovalsView;
import io.conduit.esb.approvals.ApprovalsView.OpenApproval;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's Approvals page: the open approvals per journey (purchase requisitions, quote discounts, business
 * trips), oldest first, each with its step, the group holding the task, its age and deadline (overdue ones marked),
 * and a request's journal one click away. Read only, for viewers and operators alike.
 */
@Controller
@RequestMapping("/console/approvals")
public class ConsoleApprovalsController {

    private final ObjectProvider<ApprovalsView> view;

    public ConsoleApprovalsController(ObjectProvider<ApprovalsView> view) {
        this.view = view;
    }

    @GetMapping
    public String open(Model model) {
        ApprovalsView approvals = view.getIfAvailable();
        Instant now = Instant.now();
        Map<String, List<OpenApproval>> byJourney = new LinkedHashMap<>();
        ApprovalsView.JOURNEYS.forEach(journey -> byJourney.put(journey, List.of()));
        if (approvals != null) {
            List<OpenApproval> open = approvals.open(null, now);
            ApprovalsView.JOURNEYS.forEach(journey -> byJourney.put(journey,
                    open.stream().filter(a -> journey.equals(a.journey())).toList()));
            model.addAttribute("overdue", open.stream().filter(OpenApproval::overdue).count());
            model.addAttribute("total", open.size());
        }
        model.addAttribute("available", approvals != null);
        model.addAttribute("journeys", byJourney);
        model.addAttribute("now", now);
        return "console/approvals";
    }

    @GetMapping("/{requestId}")
    public String one(@PathVariable String requestId, Model model) {
        ApprovalsView approvals = view.getIfAvailable();
        model.addAttribute("requestId", requestId);
        model.addAttribute("approval", approvals == null ? null : approvals.approval(requestId).orElse(null));
        return "console/approval";
    }
}
