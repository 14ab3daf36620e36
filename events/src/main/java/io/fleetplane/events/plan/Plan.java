package io.fleetplane.events.plan;

import io.fleetplane.events.Resources;
import java.util.List;

/**
 * A named size of tenant control plane.
 *
 * @param components the control plane's own pods (API server, controller manager)
 * @param operators names of hosted operators that come with the plan (e.g. crossplane)
 * @param storageGi the dedicated etcd volume size unless a request says otherwise
 */
public record Plan(
    String name,
    String description,
    List<Component> components,
    List<String> operators,
    int storageGi) {

  public Plan {
    components = List.copyOf(components);
    operators = List.copyOf(operators);
  }

  /** The components' resources, without datastore and operators. */
  public Resources controlPlane(boolean highAvailability) {
    Resources sum = Resources.ZERO;
    for (Component c : components) {
      sum = sum.plus(c.total(highAvailability));
    }
    return sum;
  }
}
