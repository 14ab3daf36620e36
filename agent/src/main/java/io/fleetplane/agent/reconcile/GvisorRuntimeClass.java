package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;

/**
 * The {@code gvisor} RuntimeClass (handler {@code runsc}), once per host cluster. Not a dependent
 * resource: every tenant desires the same object, so it has no owner, and releasing a tenant must
 * not take it away from the others. Made sure of (a read, and a write only when it is missing or
 * wrong) by the tenant reconciles, at most once a minute.
 */
public final class GvisorRuntimeClass {

  private GvisorRuntimeClass() {}

  public static RuntimeClass desired() {
    return new RuntimeClassBuilder()
        .withNewMetadata()
        .withName(TenantNames.GVISOR_RUNTIME_CLASS)
        .withLabels(Labels.ours())
        .endMetadata()
        .withHandler(TenantNames.GVISOR_HANDLER)
        .build();
  }

  /**
   * Creates it if missing, puts the handler back if someone changed it.
   *
   * @return whether anything was written
   */
  public static boolean ensure(KubernetesClient client) {
    var resource = client.resources(RuntimeClass.class).withName(TenantNames.GVISOR_RUNTIME_CLASS);
    RuntimeClass actual = resource.get();
    if (actual == null) {
      try {
        client.resource(desired()).create();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return false; // another reconcile created it a moment ago
        }
        throw e;
      }
    }
    if (TenantNames.GVISOR_HANDLER.equals(actual.getHandler())) {
      return false;
    }
    actual.setHandler(TenantNames.GVISOR_HANDLER);
    client.resource(actual).update();
    return true;
  }
}
