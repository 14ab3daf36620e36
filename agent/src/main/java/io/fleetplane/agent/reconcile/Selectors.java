package io.fleetplane.agent.reconcile;

import io.fleetplane.agent.model.Labels;

/** Label selectors of the controller's informers: only the agent's own objects are watched. */
final class Selectors {

  private Selectors() {}

  static final String OURS = Labels.MANAGED_BY + "=" + Labels.AGENT;
}
