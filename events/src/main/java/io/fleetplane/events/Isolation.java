package io.fleetplane.events;

/** How a tenant's pods are sandboxed on the host: gVisor ({@code runsc}) or plain runc. */
public enum Isolation implements WireEnum {
  GVISOR("gvisor"),
  RUNC("runc");

  private final String wire;

  Isolation(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
