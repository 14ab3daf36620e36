package io.fleetplane.scheduler.cell;

import io.fleetplane.events.HostReport;
import io.fleetplane.placement.model.HostState;

/**
 * What the scheduler knows of one host: its last report and what operators and silence have made of
 * it.
 *
 * @param lastReportMs when its last report was processed (the scheduler's clock)
 * @param cordonReason why an operator cordoned it, or null if not cordoned
 * @param unreachable silent for longer than unreachable-after: takes no new tenants
 * @param lost silent for longer than lost-after: declared lost
 */
public record HostRecord(
    String clusterId,
    HostReport report,
    long lastReportMs,
    String cordonReason,
    boolean unreachable,
    boolean lost) {

  public boolean cordoned() {
    return cordonReason != null;
  }

  public HostState state() {
    if (cordoned()) {
      return HostState.CORDONED;
    }
    return unreachable || lost ? HostState.UNREACHABLE : HostState.READY;
  }

  public HostRecord withReport(HostReport r, long nowMs) {
    return new HostRecord(clusterId, r, nowMs, cordonReason, false, false);
  }

  public HostRecord withCordon(String reason) {
    return new HostRecord(clusterId, report, lastReportMs, reason, unreachable, lost);
  }

  public HostRecord withSilence(boolean unreachable, boolean lost) {
    return new HostRecord(clusterId, report, lastReportMs, cordonReason, unreachable, lost);
  }
}
