package io.fleetplane.placement.model;

import io.fleetplane.placement.score.ScoringPolicy;

/** What placement decided for a tenant, and why. */
public sealed interface Decision {

  String tenantId();

  /** A reason for a person: why this host, or why no host. */
  String reason();

  /**
   * The tenant goes to {@code hostId}.
   *
   * @param key the policy's ranking key of the host (lower is better; see the policy)
   */
  record Placed(String tenantId, String hostId, ScoringPolicy policy, double key)
      implements Decision {

    /** Made when asked for: formatting it costs more than the decision itself. */
    @Override
    public String reason() {
      return policy.explain(key);
    }
  }

  /** No host takes the tenant now; {@code refusals} counts every reason per host. */
  record Unplaceable(String tenantId, Refusals refusals) implements Decision {
    @Override
    public String reason() {
      return refusals.message();
    }
  }
}
