package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The tenant's own etcd StatefulSet, in dedicated-etcd mode; in the other modes the desired set is
 * empty. A bulk dependent rather than a conditional one: its informer is there from the start, so
 * no mode needs an event source registered on the fly. (The shared etcd, in another namespace, is
 * not among a tenant's children: {@link ClusterShared}.)
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class EtcdStatefulSetsDependent extends TenantBulkDependent<StatefulSet> {

  public EtcdStatefulSetsDependent() {
    super(StatefulSet.class);
  }

  @Override
  List<StatefulSet> desired(TenantControlPlaneSpec spec) {
    return ControlPlaneModel.statefulSets(spec, Catalogue.PLANS);
  }
}
