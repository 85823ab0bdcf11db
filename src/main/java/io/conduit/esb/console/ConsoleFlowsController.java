package io.conduit.esb.console;

import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.ops.FlowStatus;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.parking.ParkedFilter;
import io.conduit.esb.parking.ParkedMessage;
import io.conduit.esb.parking.Replays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console's flow pictures: {@code /console/flows} lists the flows, {@code /console/flows/<flow>} draws one from
 * the running route model ({@link FlowModelReader}, {@link FlowPicture}) with Camel's counters per step, and
 * {@code ?step=<id>} adds that step's recent failures (the journal's FAILED and PARKED hops at the step or inside
 * what it calls) and the messages parked there that still wait. Read only, for viewers and operators alike; a
 * parked message opens on the Parked messages page, where an operator replays it.
 */
@Controller
@RequestMapping("/console/flows")
public class ConsoleFlowsController {

    static final int FAILURES_SHOWN = 30;

    private final ObjectProvider<FlowModelReader> reader;
    private final ObjectProvider<OpsOverview> overview;
    private final ObjectProvider<Journal> journal;
    private final ObjectProvider<Replays> replays;
    private final Duration failuresWindow;

    public ConsoleFlowsController(ObjectProvider<FlowModelReader> reader, ObjectProvider<OpsOverview> overview,
                                  ObjectProvider<Journal> journal, ObjectProvider<Replays> replays,
                                  @Value("${esb.console.step-failures-window:PT24H}") Duration failuresWindow) {
        this.reader = reader;
        this.overview = overview;
        this.journal = journal;
        this.replays = replays;
        this.failuresWindow = failuresWindow;
    }

    @GetMapping
    public String list(Model model) {
        FlowModelReader flows = reader.getIfAvailable();
        model.addAttribute("available", flows != null);
        Map<String, FlowStatus> figures = figures();
        List<FlowStatus> rows = new ArrayList<>();
        if (flows != null) {
            for (String flow : flows.flows()) {
                rows.add(figures.getOrDefault(flow, new FlowStatus(flow, "UNKNOWN", 0, 0, 0, 0, 0, 0, 0, List.of())));
            }
        }
        model.addAttribute("flows", rows);
        return "console/flows";
    }

    @GetMapping("/{flow}")
    public String flow(@PathVariable String flow, @RequestParam(required = false) String step, Model model) {
        FlowModelReader flows = reader.getIfAvailable();
        model.addAttribute("available", flows != null);
        model.addAttribute("flow", flow);
        model.addAttribute("flowNames", flows == null ? List.of() : flows.flows());
        if (flows == null) {
            return "console/flow";
        }
        long started = System.nanoTime();
        Optional<FlowModel> found = flows.read(flow);
        if (found.isEmpty()) {
            return "console/flow";
        }
        FlowModel flowModel = found.get();
        String selected = step != null && flowModel.step(step).isPresent() ? step : null;
        FlowPicture.Drawing drawing = FlowPicture.draw(flowModel, selected);
        model.addAttribute("model", flowModel);
        model.addAttribute("picture", drawing);
        model.addAttribute("status", figures().get(flow));
        model.addAttribute("drawnMs", (System.nanoTime() - started) / 1_000_000.0);
        model.addAttribute("step", step);
        if (step != null) {
            stepDetail(flows, flowModel, step, model);
        }
        return "console/flow";
    }

    private void stepDetail(FlowModelReader flows, FlowModel flowModel, String step, Model model) {
        Optional<FlowModel.StepNode> node = flowModel.step(step);
        model.addAttribute("stepNode", node.orElse(null));
        model.addAttribute("stepRoute", flowModel.routeOf(step).map(FlowModel.RouteNode::id).orElse(null));
        if (node.isEmpty()) {
            return;
        }
        Set<String> beneath = flows.nodesBeneath(flowModel.flow(), step);
        model.addAttribute("beneath", beneath);
        model.addAttribute("failuresWindow", failuresWindow);
        Journal hops = journal.getIfAvailable();
        List<JournalEntry> failures = hops == null ? List.of()
                : hops.failuresAt(beneath, Instant.now().minus(failuresWindow), FAILURES_SHOWN);
        model.addAttribute("failures", failures);
        // the PARKED hops name their parked message (target id); those still waiting are listed
        Set<UUID> parkedIds = new LinkedHashSet<>();
        for (JournalEntry e : failures) {
            if (e.hop() == Hop.PARKED && e.targetId() != null) {
                try {
                    parkedIds.add(UUID.fromString(e.targetId()));
                } catch (IllegalArgumentException ignored) {
                    // not a parked message's id
                }
            }
        }
        Replays parking = replays.getIfAvailable();
        List<ParkedMessage> parked = parking == null || parkedIds.isEmpty() ? List.of()
                : parking.find(new ParkedFilter(List.copyOf(parkedIds), null, null, null, null, null, "PARKED"),
                FAILURES_SHOWN);
        model.addAttribute("parked", parked);
    }

    private Map<String, FlowStatus> figures() {
        OpsOverview ops = overview.getIfAvailable();
        if (ops == null) {
            return Map.of();
        }
        try {
            return ops.flows().stream().collect(Collectors.toMap(FlowStatus::flow, Function.identity(), (a, b) -> a));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
