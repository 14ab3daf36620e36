package io.fleetplane.placement.model;

/** A tenant's toleration; a null value or effect matches any. */
public record Toleration(String key, String value, String effect) {

  public boolean tolerates(Taint t) {
    return key.equals(t.key())
        && (value == null || value.equals(t.value()))
        && (effect == null || effect.equals(t.effect()));
  }
}
