package io.fleetplane.scheduler.query;

import java.time.Instant;
import java.util.List;

/** A cell at one moment: its hosts, how many tenants it holds, who is waiting and why. */
public record CellView(
    String cell,
    List<HostView> hosts,
    int tenants,
    int pending,
    List<PendingView> waiting,
    Instant at) {}
