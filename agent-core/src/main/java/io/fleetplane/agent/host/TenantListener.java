package io.fleetplane.agent.host;

/**
 * Told of each tenant's lifecycle steps in a host cluster: what the status reporter turns into
 * tenant events. Called from the cluster's own thread; must not block.
 */
public interface TenantListener {

  /**
   * The tenant's phase changed (Provisioning, Ready, Failed, or a phase that is no lifecycle step,
   * which the listener ignores).
   *
   * @param generation the placement generation the tenant's resource carries
   * @param message why, in words (the status message), or null
   */
  void phase(String tenantId, long generation, String phase, String message);

  /**
   * Everything of a released tenant is gone: its resource and every object it owned.
   *
   * @param generation the placement generation its resource carried last
   */
  void gone(String tenantId, long generation);
}
