package io.fleetplane.events;

/** Where a tenant control plane keeps its state. */
public enum DatastoreMode implements WireEnum {
  /** An etcd StatefulSet of the tenant's own. */
  DEDICATED_ETCD("dedicated-etcd"),
  /** A key prefix in the host cluster's shared etcd. */
  SHARED_ETCD("shared-etcd"),
  /** kine beside the API server, storing into an external SQL database. */
  KINE("kine");

  private final String wire;

  DatastoreMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
