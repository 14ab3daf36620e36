package io.fleetplane.agent.model;

/**
 * Names of the control plane's workloads that {@link TenantNames} does not already give: the
 * PriorityClass, etcd's peer Service, mount paths and hosted operators' objects.
 */
public final class WorkloadNames {

  private WorkloadNames() {}

  /** Cluster-scoped; shared by every tenant's control plane pods and the shared etcd. */
  public static final String PRIORITY_CLASS = "fleetplane-tenant-control-plane";

  /** Headless Service giving each etcd member a stable DNS name for peering. */
  public static final String ETCD_PEERS = "etcd-peers";

  /** The volume claim template of an etcd StatefulSet. */
  public static final String ETCD_DATA = "data";

  /** Where PKI secrets are mounted, one directory per secret. */
  public static final String PKI_DIR = "/etc/kubernetes/pki";

  /** Where client-go looks for a pod's service-account token, CA and namespace. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** The Deployment of a hosted operator: named after it, so two operators cannot collide. */
  public static String operatorDeployment(String operatorName) {
    return operatorName;
  }

  /**
   * The host Secret holding a hosted operator's token for the tenant API server, with {@code
   * token}, {@code ca.crt} and {@code namespace} as a projected service-account volume would.
   */
  public static String operatorTokenSecret(String operatorName) {
    return operatorName + "-token";
  }
}
