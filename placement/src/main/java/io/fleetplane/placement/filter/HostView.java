package io.fleetplane.placement.filter;

import io.fleetplane.placement.model.Host;

/** A host and its load, as filters see it. */
public interface HostView {

  Host host();

  /** limit - committed for resource ordinal {@code r} (negative if over-committed). */
  long free(int r);

  int tenantCount();

  int sharedEtcdUsed();
}
