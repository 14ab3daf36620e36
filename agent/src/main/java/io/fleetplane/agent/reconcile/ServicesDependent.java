package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The API server's Service, and in dedicated-etcd mode etcd's client and peer Services. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class ServicesDependent extends TenantBulkDependent<Service> {

  public ServicesDependent() {
    super(Service.class);
  }

  @Override
  List<Service> desired(TenantControlPlaneSpec spec) {
    return ControlPlaneModel.services(spec);
  }
}
