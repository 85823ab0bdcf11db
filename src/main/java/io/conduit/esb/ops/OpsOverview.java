package io.conduit.esb.ops;

import java.util.List;

/** What the console's overview and the health endpoint show: every flow and every connected system. Bean {@code opsOverview}. */
public interface OpsOverview {

    List<FlowStatus> flows();

    List<SystemStatus> systems();
}
