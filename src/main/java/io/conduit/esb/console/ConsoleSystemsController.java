package io.conduit.esb.console;

import io.conduit.esb.ops.SystemsView;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's Systems page: {@code /console/systems} lists every declared system ({@code esb.systems.<name>}) with
 * its roles, adapter, transport, health now and as a strip of its recent probes, circuit breaker, call latency and
 * errors; {@code /console/systems/<name>} adds the reachability changes, the breaker's transitions (also in the
 * journal: a search for the system's name finds them), the probes and the last failed calls, masked. Read only, for
 * viewers and operators alike; the data is {@link SystemsView}'s, as {@code GET /api/v1/systems} gives it.
 */
@Controller
@RequestMapping("/console/systems")
public class ConsoleSystemsController {

    /** probes drawn in the list's strips (the detail page draws every kept one) */
    static final int LIST_STRIP_SLOTS = 60;

    private final ObjectProvider<SystemsView> view;

    public ConsoleSystemsController(ObjectProvider<SystemsView> view) {
        this.view = view;
    }

    @GetMapping
    public String list(Model model) {
        long started = System.nanoTime();
        SystemsView systems = view.getIfAvailable();
        model.addAttribute("available", systems != null);
        List<SystemsView.SystemSummary> rows = systems == null ? List.of() : systems.systems();
        Map<String, String> strips = new LinkedHashMap<>();
        if (systems != null) {
            for (SystemsView.SystemSummary s : rows) {
                systems.system(s.name()).ifPresent(d -> strips.put(s.name(),
                        HealthStrip.draw(s.name(), d.probes(), d.transitions(), LIST_STRIP_SLOTS)));
            }
        }
        model.addAttribute("systems", rows);
        model.addAttribute("strips", strips);
        model.addAttribute("assembledMs", (System.nanoTime() - started) / 1_000_000.0);
        return "console/systems";
    }

    @GetMapping("/{name}")
    public String system(@PathVariable String name, Model model, HttpServletResponse response) {
        long started = System.nanoTime();
        SystemsView systems = view.getIfAvailable();
        model.addAttribute("available", systems != null);
        model.addAttribute("name", name);
        Optional<SystemsView.SystemDetail> detail = systems == null ? Optional.empty() : systems.system(name);
        if (systems != null && detail.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("names", systems.systems().stream().map(SystemsView.SystemSummary::name).toList());
        }
        detail.ifPresent(d -> {
            model.addAttribute("detail", d);
            model.addAttribute("s", d.system());
            model.addAttribute("strip", HealthStrip.draw(name, d.probes(), d.transitions(),
                    Math.max(LIST_STRIP_SLOTS, d.probes().size())));
        });
        model.addAttribute("assembledMs", (System.nanoTime() - started) / 1_000_000.0);
        return "console/system";
    }
}
