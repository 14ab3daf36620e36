package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's PKI secrets (CA, API server serving certificate, service-account key, admin
 * kubeconfig). The desired secrets are computed from the ones that exist, so material that is still
 * valid is kept byte for byte and a converged tenant costs no write; what is missing, invalid or
 * near expiry is issued again.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class PkiSecretsDependent extends KubernetesDependentResource<Secret, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<Secret, TenantControlPlane>,
        KubernetesBulkDependentResource<Secret, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  static final Set<String> NAMES =
      Set.of(
          TenantNames.CA_SECRET,
          TenantNames.APISERVER_CERT_SECRET,
          TenantNames.SERVICE_ACCOUNT_KEY_SECRET,
          TenantNames.ADMIN_KUBECONFIG_SECRET);

  public PkiSecretsDependent() {
    super(Secret.class);
  }

  @Override
  public Map<ResourceID, Secret> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    Map<String, Secret> existing = new LinkedHashMap<>();
    getSecondaryResources(primary, context)
        .values()
        .forEach(s -> existing.put(s.getMetadata().getName(), s));
    return TenantChildren.byId(
        PkiModel.secrets(primary.getSpec().getTenantId(), List.of(), existing, Clock.systemUTC()));
  }

  @Override
  public Map<ResourceID, Secret> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(
        primary, context, Secret.class, s -> NAMES.contains(s.getMetadata().getName()));
  }
}
