package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.fleetplane.agent.model.NetworkPolicyModel;
import io.fleetplane.agent.model.TenantNames;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a tenant's objects on the host are, from the models, as {@code Kind namespace/name}: to tell
 * whether a tenant has been materialised in full. Hosted operators' token Secrets are left out: the
 * agent asks a tenant's API server for them only once that server runs, which no test API server
 * does unless the test plays its controllers.
 */
final class TenantObjects {

  private TenantObjects() {}

  private static final List<Class<? extends HasMetadata>> NAMESPACED =
      List.of(
          ResourceQuota.class,
          LimitRange.class,
          NetworkPolicy.class,
          Secret.class,
          Deployment.class,
          StatefulSet.class,
          Service.class);

  /** Everything the agent makes for the tenant but hosted operators' tokens. */
  static Set<String> expected(TenantControlPlaneSpec spec) {
    String ns = TenantNames.namespace(spec.getTenantId());
    Set<String> out = new TreeSet<>();
    out.add("Namespace " + ns);
    out.add(key("ResourceQuota", ns, TenantNames.QUOTA));
    out.add(key("LimitRange", ns, TenantNames.LIMITS));
    NetworkPolicyModel.all(spec).forEach(p -> out.add(key(p)));
    PkiSecretsDependent.NAMES.forEach(name -> out.add(key("Secret", ns, name)));
    if (ControlPlaneModel.workloadsOf(spec, Catalogue.PLANS).kine()) {
      out.add(key("Secret", ns, TenantNames.KINE_DATABASE_SECRET));
    }
    ControlPlaneModel.deployments(spec, Catalogue.PLANS).forEach(d -> out.add(key(d)));
    ControlPlaneModel.statefulSets(spec, Catalogue.PLANS).forEach(s -> out.add(key(s)));
    ControlPlaneModel.services(spec).forEach(s -> out.add(key(s)));
    return out;
  }

  /** What of {@link #expected} is not on the host (eight reads, in the tenant's namespace). */
  static Set<String> missing(KubernetesClient client, TenantControlPlaneSpec spec) {
    Set<String> out = expected(spec);
    out.removeAll(actual(client, TenantNames.namespace(spec.getTenantId())));
    return out;
  }

  /** What of all the tenants' {@link #expected} objects is not on the host (eight reads). */
  static Set<String> missing(KubernetesClient client, Collection<TenantControlPlaneSpec> specs) {
    Set<String> out = new TreeSet<>();
    specs.forEach(s -> out.addAll(expected(s)));
    out.removeAll(actual(client, null));
    return out;
  }

  /** The objects of the kinds above in {@code namespace}, or in every namespace when null. */
  static Set<String> actual(KubernetesClient client, String namespace) {
    Set<String> out = new TreeSet<>();
    if (namespace == null) {
      client.namespaces().list().getItems().forEach(n -> out.add(key(n)));
    } else {
      Namespace n = client.namespaces().withName(namespace).get();
      if (n != null) {
        out.add(key(n));
      }
    }
    for (Class<? extends HasMetadata> kind : NAMESPACED) {
      var resources = client.resources(kind);
      var items =
          namespace == null
              ? resources.inAnyNamespace().list().getItems()
              : resources.inNamespace(namespace).list().getItems();
      items.forEach(r -> out.add(key(r)));
    }
    return out;
  }

  private static String key(HasMetadata r) {
    return r.getMetadata().getNamespace() == null
        ? r.getKind() + " " + r.getMetadata().getName()
        : key(r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  private static String key(String kind, String namespace, String name) {
    return kind + " " + namespace + "/" + name;
  }
}
