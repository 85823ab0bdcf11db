package io.conduit.esb.console;

import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.journal.JournalQuery;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.systems.SystemRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Journal search in the console: a business key (any: CRM order id, ERP order number, employee id, complaint id),
 * optionally a flow and a time range, gives the whole journey of the message(s) it names, oldest hop first: drawn as
 * swimlanes ({@link JourneyPicture}, one lane per system and ESB stage) or, one click away ({@code view=list}), as
 * the list of hops with their payloads.
 */
@Controller
@RequestMapping("/console/journal")
public class ConsoleJournalController {

    static final int JOURNEY_LIMIT = 500;

    private final ObjectProvider<Journal> journal;
    private final ObjectProvider<OpsOverview> overview;
    private final ObjectProvider<SystemRegistry> systems;

    public ConsoleJournalController(ObjectProvider<Journal> journal, ObjectProvider<OpsOverview> overview,
                                    ObjectProvider<SystemRegistry> systems) {
        this.journal = journal;
        this.overview = overview;
        this.systems = systems;
    }

    @GetMapping
    public String search(@RequestParam(required = false) String key,
                         @RequestParam(required = false) String flow,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
                         @RequestParam(required = false) String view,
                         Model model) {
        model.addAttribute("key", key);
        model.addAttribute("flow", flow);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        boolean list = "list".equals(view);
        model.addAttribute("view", list ? "list" : "lanes");
        model.addAttribute("flows", ConsoleForms.flowNames(overview));
        Journal found = journal.getIfAvailable();
        model.addAttribute("available", found != null);
        String businessKey = ConsoleForms.blankToNull(key);
        if (found == null || businessKey == null) {
            return "console/journal";
        }
        List<JournalEntry> journey = found.journey(new JournalQuery(businessKey, null, ConsoleForms.blankToNull(flow),
                null, ConsoleForms.utc(from), ConsoleForms.utc(to), JOURNEY_LIMIT));
        model.addAttribute("searched", true);
        model.addAttribute("journey", journey);
        model.addAttribute("summary", Summary.of(journey));
        if (!list && !journey.isEmpty()) {
            long started = System.nanoTime();
            SystemRegistry registry = systems.getIfAvailable();
            model.addAttribute("lanes", JourneyPicture.draw(journey, registry == null ? Set.of() : registry.all().keySet()));
            model.addAttribute("drawnMs", (System.nanoTime() - started) / 1_000_000.0);
        }
        return "console/journal";
    }

    /**
     * What the journey adds up to, shown above the timeline.
     *
     * @param keys the business keys seen along the way (e.g. the CRM order id and the ERP order number)
     */
    public record Summary(int hops, Set<String> correlationIds, Set<String> flows, Map<String, String> keys,
                          String lastHop, Duration span) {

        static Summary of(List<JournalEntry> journey) {
            Set<String> correlationIds = new LinkedHashSet<>();
            Set<String> flows = new LinkedHashSet<>();
            Map<String, String> keys = new LinkedHashMap<>();
            for (JournalEntry entry : journey) {
                if (entry.correlationId() != null) {
                    correlationIds.add(entry.correlationId());
                }
                if (entry.flow() != null) {
                    flows.add(entry.flow());
                }
                entry.keys().forEach(keys::putIfAbsent);
            }
            JournalEntry first = journey.isEmpty() ? null : journey.get(0);
            JournalEntry last = journey.isEmpty() ? null : journey.get(journey.size() - 1);
            Duration span = first == null || first.at() == null || last.at() == null
                    ? Duration.ZERO : Duration.between(first.at(), last.at());
            return new Summary(journey.size(), correlationIds, flows, keys,
                    last == null ? null : Objects.toString(last.hop(), null), span);
        }
    }
}
