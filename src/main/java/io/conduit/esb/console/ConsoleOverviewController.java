package io.conduit.esb.console;

import io.conduit.esb.ops.OpsOverview;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

import java.time.Instant;
import java.util.List;

/**
 * The console's overview: every flow's live figures and every connected system's health, from bean
 * {@code opsOverview}. The page polls {@code /console/overview} (the figures fragment) every few seconds.
 */
@Controller
@RequestMapping("/console")
public class ConsoleOverviewController {

    private final ObjectProvider<OpsOverview> overview;
    private final int refreshSeconds;

    public ConsoleOverviewController(ObjectProvider<OpsOverview> overview,
                              @Value("${esb.console.refresh-seconds:5}") int refreshSeconds) {
        this.overview = overview;
        this.refreshSeconds = Math.max(1, refreshSeconds);
    }

    @GetMapping({"", "/"})
    public String page(Model model) {
        figures(model);
        model.addAttribute("refreshSeconds", refreshSeconds);
        return "console/overview";
    }

    /** The part of the overview the page refreshes by polling. */
    @GetMapping("/overview")
    public String fragment(Model model) {
        figures(model);
        model.addAttribute("refreshSeconds", refreshSeconds);
        return "console/overview :: figures";
    }

    private void figures(Model model) {
        OpsOverview ops = overview.getIfAvailable();
        model.addAttribute("available", ops != null);
        model.addAttribute("flows", ops == null ? List.of() : ops.flows());
        model.addAttribute("systems", ops == null ? List.of() : ops.systems());
        model.addAttribute("now", Instant.now());
    }
}
