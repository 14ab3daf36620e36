package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.NetworkPolicyModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The tenant's network policies, several of one kind: a bulk dependent, which also deletes a policy
 * of ours that is no longer desired (e.g. the datastore allow when a tenant moves to a dedicated
 * etcd).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class NetworkPoliciesDependent extends TenantBulkDependent<NetworkPolicy> {

  public NetworkPoliciesDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  List<NetworkPolicy> desired(TenantControlPlaneSpec spec) {
    return NetworkPolicyModel.all(spec);
  }
}
