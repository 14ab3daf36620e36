package io.fleetplane.agent.tenant;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tenant's API server through a fabric8 client. The token is a long-lived service-account token
 * Secret, which the tenant's own controller manager fills in (its {@code serviceaccount-token}
 * controller): a TokenRequest token expires, and the host copy is written once, not refreshed.
 */
public final class KubernetesTenantApi implements TenantApi {

  /** Secret type the tenant's controller manager fills with a token, {@code ca.crt}, namespace. */
  static final String TOKEN_TYPE = "kubernetes.io/service-account-token";

  static final String SERVICE_ACCOUNT_ANNOTATION = "kubernetes.io/service-account.name";

  /**
   * A hosted operator such as Crossplane installs CRDs and grants RBAC for its providers, so it is
   * bound to cluster-admin, in the tenant's cluster only: the host's API server never sees it.
   */
  static final String CLUSTER_ROLE = "cluster-admin";

  private final Function<TenantControlPlaneSpec, KubernetesClient> connect;

  /**
   * @param connect a new client of the tenant's API server, closed after each use
   */
  public KubernetesTenantApi(Function<TenantControlPlaneSpec, KubernetesClient> connect) {
    this.connect = connect;
  }

  /** Connects with the tenant's admin kubeconfig, read from the host on each use. */
  public static KubernetesTenantApi viaAdminKubeconfig(KubernetesClient host) {
    return new KubernetesTenantApi(spec -> AdminKubeconfig.connect(host, spec.getTenantId()));
  }

  @Override
  public Optional<String> serviceAccountToken(
      TenantControlPlaneSpec spec, String namespace, String serviceAccount) {
    try (KubernetesClient tenant = connect.apply(spec)) {
      createIfMissing(tenant, namespace(namespace));
      createIfMissing(tenant, serviceAccount(namespace, serviceAccount));
      createIfMissing(tenant, binding(namespace, serviceAccount));
      createIfMissing(tenant, tokenSecret(namespace, serviceAccount));
      Secret issued =
          tenant.secrets().inNamespace(namespace).withName(tokenSecretName(serviceAccount)).get();
      return Optional.ofNullable(issued)
          .map(Secret::getData)
          .map(data -> data.get("token"))
          .filter(t -> !t.isBlank())
          .map(t -> new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8));
    }
  }

  /** One request when it exists already (a 409), rather than a read and then a write. */
  private static void createIfMissing(KubernetesClient tenant, HasMetadata object) {
    try {
      tenant.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  static String tokenSecretName(String serviceAccount) {
    return serviceAccount + "-token";
  }

  static Namespace namespace(String name) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Labels.ours())
        .endMetadata()
        .build();
  }

  static ServiceAccount serviceAccount(String namespace, String name) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Labels.ours())
        .endMetadata()
        .build();
  }

  static ClusterRoleBinding binding(String namespace, String serviceAccount) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(Labels.AGENT + ":" + namespace + ":" + serviceAccount)
        .withLabels(Labels.ours())
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(CLUSTER_ROLE)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withNamespace(namespace)
        .withName(serviceAccount)
        .endSubject()
        .build();
  }

  static Secret tokenSecret(String namespace, String serviceAccount) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(tokenSecretName(serviceAccount))
        .withNamespace(namespace)
        .withLabels(Labels.ours())
        .addToAnnotations(SERVICE_ACCOUNT_ANNOTATION, serviceAccount)
        .endMetadata()
        .withType(TOKEN_TYPE)
        .build();
  }
}
