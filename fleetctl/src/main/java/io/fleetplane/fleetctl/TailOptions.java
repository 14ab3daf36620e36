package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantEvent;
import java.time.Duration;
import java.util.Set;

/**
 * What {@code tail} follows and when it stops.
 *
 * @param tenant only this tenant's events; null for all
 * @param fromBeginning from the oldest event kept, rather than from now
 * @param limit how long to follow; null for until interrupted
 * @param until stop when {@code tenant} reaches one of these; empty to never stop for a type
 * @param count stop after this many events; null for no limit
 */
record TailOptions(
    String tenant,
    boolean fromBeginning,
    Duration limit,
    Set<TenantEvent.Type> until,
    Integer count) {

  TailOptions {
    until = Set.copyOf(until);
  }
}
