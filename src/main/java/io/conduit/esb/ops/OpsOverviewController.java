package io.conduit.esb.ops;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /api/v1/ops/overview}: every flow's and every connected system's live figures (role VIEWER). */
@RestController
public class OpsOverviewController {

    /** The answer: flows and systems as {@link OpsOverview} reports them. */
    public record Overview(List<FlowStatus> flows, List<SystemStatus> systems) {
    }

    private final OpsOverview overview;

    public OpsOverviewController(OpsOverview opsOverview) {
        this.overview = opsOverview;
    }

    @GetMapping("/api/v1/ops/overview")
    public Overview overview() {
        return new Overview(overview.flows(), overview.systems());
    }
}
