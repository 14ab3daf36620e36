package io.fleetplane.agent.model;

import java.util.Map;

/** The labels the agent puts on everything it creates, and selects its own objects by. */
public final class Labels {

  private Labels() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String AGENT = "fleetplane-agent";
  public static final String TENANT = "fleetplane.io/tenant";

  /** Which part of the tenant's control plane a pod is: kube-apiserver, etcd, ... */
  public static final String COMPONENT = "fleetplane.io/component";

  /** What marks an object as the agent's: nothing else is ever deleted by it. */
  public static Map<String, String> ours() {
    return Map.of(MANAGED_BY, AGENT);
  }

  public static Map<String, String> ofTenant(String tenantId) {
    return Map.of(MANAGED_BY, AGENT, TENANT, tenantId);
  }

  /** The labels of one component's pods, and their selector. */
  public static Map<String, String> ofComponent(String tenantId, String component) {
    return Map.of(MANAGED_BY, AGENT, TENANT, tenantId, COMPONENT, component);
  }
}
