package io.fleetplane.placement.model;

/** A taint on a host: only tenants that tolerate it are placed there. */
public record Taint(String key, String value, String effect) {

  @Override
  public String toString() {
    return key + (value == null ? "" : "=" + value) + (effect == null ? "" : ":" + effect);
  }
}
