package io.fleetplane.scheduler.cell;

import io.fleetplane.placement.model.ResourceVector;
import java.time.Duration;

/**
 * How a cell treats its hosts.
 *
 * @param policy scoring policy name (best-fit, first-fit, spread, dominant-fit)
 * @param overcommitPermille per resource, 1000 = none
 * @param headroom per resource, kept free on every host
 * @param maxTenantsPerHost at most this many tenants on one host
 * @param unreachableAfter a host silent this long takes no new tenants
 * @param lostAfter a host silent this long is declared lost (its tenants stay placed)
 */
public record CellConfig(
    String policy,
    ResourceVector overcommitPermille,
    ResourceVector headroom,
    int maxTenantsPerHost,
    Duration unreachableAfter,
    Duration lostAfter) {

  public CellConfig {
    if (lostAfter.compareTo(unreachableAfter) <= 0) {
      throw new IllegalArgumentException(
          "lost-after ("
              + lostAfter
              + ") must be longer than unreachable-after ("
              + unreachableAfter
              + ")");
    }
  }

  public static CellConfig defaults() {
    return new CellConfig(
        "best-fit",
        io.fleetplane.placement.model.Host.NO_OVERCOMMIT,
        ResourceVector.ZERO,
        Integer.MAX_VALUE,
        Duration.ofSeconds(30),
        Duration.ofMinutes(10));
  }
}
