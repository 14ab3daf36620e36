package io.fleetplane.events;

import java.time.Instant;

/**
 * An operator's command about a host cluster. Key on {@code fleet.host-commands}: the cluster id
 * (partitioned as {@code fleet.host-reports}, with the same partition count).
 *
 * @param reason why, for the record and the tenant events it causes
 */
public record HostCommand(String clusterId, Command command, String reason, Instant at) {

  /** What to do. */
  public enum Command implements WireEnum {
    /** Take no new tenants; the ones there stay. */
    CORDON,
    /** Take new tenants again. */
    UNCORDON;

    @Override
    public String wire() {
      return name();
    }
  }
}
