package io.fleetplane.agent.model;

/**
 * Every name the agent gives a tenant's objects, in one place. A tenant id is a DNS-1123 label of
 * at most 56 characters (events' rule), so {@code tenant-<id>} is a valid namespace name.
 */
public final class TenantNames {

  private TenantNames() {}

  public static final String GVISOR_RUNTIME_CLASS = "gvisor";
  public static final String GVISOR_HANDLER = "runsc";

  /** Namespace of the fleet's own gateway, allowed to reach every tenant API server. */
  public static final String GATEWAY_NAMESPACE_LABEL = "fleetplane.io/gateway";

  /** Namespace the agent runs in: it reaches tenant API servers for hosted operators' tokens. */
  public static final String AGENT_NAMESPACE_LABEL = "fleetplane.io/agent";

  /** Where the host cluster's shared etcd runs, for tenants of mode shared-etcd. */
  public static final String SHARED_ETCD_NAMESPACE = "fleetplane-shared-etcd";

  public static String namespace(String tenantId) {
    return "tenant-" + tenantId;
  }

  public static final String QUOTA = "tenant-quota";
  public static final String LIMITS = "tenant-limits";

  public static final String APISERVER = "kube-apiserver";
  public static final String CONTROLLER_MANAGER = "kube-controller-manager";
  public static final String ETCD = "etcd";
  public static final String KINE = "kine";

  public static final String CA_SECRET = "tenant-ca";
  public static final String APISERVER_CERT_SECRET = "kube-apiserver-serving";
  public static final String SERVICE_ACCOUNT_KEY_SECRET = "service-account-key";
  public static final String ADMIN_KUBECONFIG_SECRET = "admin-kubeconfig";
  public static final String KINE_DATABASE_SECRET = "kine-database";

  public static final int APISERVER_PORT = 6443;
  public static final int ETCD_CLIENT_PORT = 2379;
  public static final int ETCD_PEER_PORT = 2380;

  /** DNS names the API server's serving certificate carries, inside the host cluster. */
  public static java.util.List<String> apiserverDnsNames(String tenantId) {
    String ns = namespace(tenantId);
    return java.util.List.of(
        APISERVER,
        APISERVER + "." + ns,
        APISERVER + "." + ns + ".svc",
        APISERVER + "." + ns + ".svc.cluster.local",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local");
  }
}
