package io.fleetplane.placement.model;

/** Whether a host takes new tenants. Only {@link #READY} hosts do. */
public enum HostState {
  READY,
  /** An operator stopped new placements; its tenants stay. */
  CORDONED,
  /** Cordoned, and its tenants are to be moved elsewhere. */
  DRAINING,
  /** Missed its reports: no new tenants until it reports again. */
  UNREACHABLE
}
