package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.WireEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tenant namespace's network policies: everything denied both ways, then precise allows —
 * inside the namespace, DNS, the datastore, and ingress to the API server from the fleet's gateway
 * and from the agent's own namespace namespace. Policies are additive, so each allow is its own
 * object, named for what it allows.
 */
public final class NetworkPolicyModel {

  private NetworkPolicyModel() {}

  public static final String DENY_ALL = "default-deny";
  public static final String ALLOW_NAMESPACE = "allow-same-namespace";
  public static final String ALLOW_DNS = "allow-dns";
  public static final String ALLOW_DATASTORE = "allow-datastore";
  public static final String ALLOW_GATEWAY = "allow-gateway-to-apiserver";

  /** Ports of the external databases kine speaks to: PostgreSQL and MySQL. */
  static final List<Integer> KINE_DATABASE_PORTS = List.of(5432, 3306);

  /** Every policy of the tenant, by name. */
  public static List<NetworkPolicy> all(TenantControlPlaneSpec spec) {
    List<NetworkPolicy> out = new ArrayList<>();
    out.add(denyAll(spec));
    out.add(allowNamespace(spec));
    out.add(allowDns(spec));
    NetworkPolicy datastore = allowDatastore(spec);
    if (datastore != null) {
      out.add(datastore);
    }
    out.add(allowGateway(spec));
    return out;
  }

  static NetworkPolicy denyAll(TenantControlPlaneSpec spec) {
    return base(spec, DENY_ALL)
        .withNewSpec()
        .withPodSelector(new LabelSelector())
        .withPolicyTypes("Ingress", "Egress")
        .endSpec()
        .build();
  }

  static NetworkPolicy allowNamespace(TenantControlPlaneSpec spec) {
    NetworkPolicyPeer sameNamespace =
        new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
    return base(spec, ALLOW_NAMESPACE)
        .withNewSpec()
        .withPodSelector(new LabelSelector())
        .addNewIngress()
        .withFrom(sameNamespace)
        .endIngress()
        .addNewEgress()
        .withTo(sameNamespace)
        .endEgress()
        .withPolicyTypes("Ingress", "Egress")
        .endSpec()
        .build();
  }

  static NetworkPolicy allowDns(TenantControlPlaneSpec spec) {
    return base(spec, ALLOW_DNS)
        .withNewSpec()
        .withPodSelector(new LabelSelector())
        .addNewEgress()
        .withTo(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(selector("kubernetes.io/metadata.name", "kube-system"))
                .withPodSelector(selector("k8s-app", "kube-dns"))
                .build())
        .withPorts(port("UDP", 53), port("TCP", 53))
        .endEgress()
        .withPolicyTypes("Egress")
        .endSpec()
        .build();
  }

  /**
   * The datastore outside the namespace: the host's shared etcd, or kine's external database. A
   * dedicated etcd runs in the namespace and needs nothing more.
   */
  static NetworkPolicy allowDatastore(TenantControlPlaneSpec spec) {
    DatastoreMode mode = WireEnum.fromWire(DatastoreMode.class, spec.getDatastore());
    if (mode == DatastoreMode.SHARED_ETCD) {
      return base(spec, ALLOW_DATASTORE)
          .withNewSpec()
          .withPodSelector(selector(Labels.COMPONENT, TenantNames.APISERVER))
          .addNewEgress()
          .withTo(
              new NetworkPolicyPeerBuilder()
                  .withNamespaceSelector(
                      selector("kubernetes.io/metadata.name", TenantNames.SHARED_ETCD_NAMESPACE))
                  .withPodSelector(selector(Labels.COMPONENT, TenantNames.ETCD))
                  .build())
          .withPorts(port("TCP", TenantNames.ETCD_CLIENT_PORT))
          .endEgress()
          .withPolicyTypes("Egress")
          .endSpec()
          .build();
    }
    if (mode == DatastoreMode.KINE) {
      return base(spec, ALLOW_DATASTORE)
          .withNewSpec()
          .withPodSelector(selector(Labels.COMPONENT, TenantNames.APISERVER))
          .addNewEgress()
          .withPorts(KINE_DATABASE_PORTS.stream().map(p -> port("TCP", p)).toList())
          .endEgress()
          .withPolicyTypes("Egress")
          .endSpec()
          .build();
    }
    return null;
  }

  static NetworkPolicy allowGateway(TenantControlPlaneSpec spec) {
    return base(spec, ALLOW_GATEWAY)
        .withNewSpec()
        .withPodSelector(selector(Labels.COMPONENT, TenantNames.APISERVER))
        .addNewIngress()
        .withFrom(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(selector(TenantNames.GATEWAY_NAMESPACE_LABEL, "true"))
                .build(),
            // The agent reaches each tenant API server to fetch its hosted operators' tokens.
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(selector(TenantNames.AGENT_NAMESPACE_LABEL, "true"))
                .build())
        .withPorts(port("TCP", TenantNames.APISERVER_PORT))
        .endIngress()
        .withPolicyTypes("Ingress")
        .endSpec()
        .build();
  }

  private static NetworkPolicyBuilder base(TenantControlPlaneSpec spec, String name) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(Labels.ofTenant(spec.getTenantId()))
        .endMetadata();
  }

  private static LabelSelector selector(String key, String value) {
    return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }
}
