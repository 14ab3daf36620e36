package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The tenant's Deployments: kube-apiserver (with kine beside it in kine mode),
 * kube-controller-manager, and one per hosted operator of its plan; an operator no longer in the
 * plan is deleted. Their status changes reach the reconciler through this informer.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class DeploymentsDependent extends TenantBulkDependent<Deployment> {

  public DeploymentsDependent() {
    super(Deployment.class);
  }

  @Override
  List<Deployment> desired(TenantControlPlaneSpec spec) {
    return ControlPlaneModel.deployments(spec, Catalogue.PLANS);
  }
}
