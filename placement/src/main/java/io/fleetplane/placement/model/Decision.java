package io.fleetplane.placement.model;

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
  record Placed(String tenantId, String hostId, String policy, double key, String reason)
      implements Decision {}

  /** No host takes the tenant now; {@code refusals} counts every reason per host. */
  record Unplaceable(String tenantId, Refusals refusals) implements Decision {
    @Override
    public String reason() {
      return refusals.message();
    }
  }
}
