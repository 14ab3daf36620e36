package io.fleetplane.events;

/**
 * A tenant's toleration of a host taint. A null {@code value} tolerates every value of the key
 * (Kubernetes' {@code Exists}); a null {@code effect} tolerates every effect.
 */
public record Toleration(String key, String value, String effect) {

  public boolean tolerates(Taint taint) {
    return key.equals(taint.key())
        && (value == null || value.equals(taint.value()))
        && (effect == null || effect.equals(taint.effect()));
  }
}
