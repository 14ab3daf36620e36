package io.fleetplane.scheduler.query;

import java.time.Instant;
import java.util.List;

/**
 * A cell at one moment: its hosts, how many tenants it holds and of which sizes (most common
 * first), who is waiting and why.
 */
public record CellView(
    String cell,
    List<HostView> hosts,
    int tenants,
    int pending,
    List<PendingView> waiting,
    List<SizeView> sizes,
    Instant at) {

  public CellView {
    sizes = sizes == null ? List.of() : List.copyOf(sizes); // views from an older instance
  }
}
