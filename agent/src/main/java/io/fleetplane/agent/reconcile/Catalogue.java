package io.fleetplane.agent.reconcile;

import io.fleetplane.events.plan.PlanCatalogue;

/**
 * The plan catalogue the controller sizes tenants by: the built-in one, the scheduler's default. (A
 * deployment's own catalogue file is not configurable in the agent yet.)
 */
final class Catalogue {

  private Catalogue() {}

  static final PlanCatalogue PLANS = PlanCatalogue.defaults();
}
