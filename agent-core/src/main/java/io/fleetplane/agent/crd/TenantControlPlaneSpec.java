package io.fleetplane.agent.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.generator.annotation.Required;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import java.util.Objects;

/**
 * The tenant's placement, as the scheduler decided it ({@link Placement}): what the controller
 * builds. Wire values ("dedicated-etcd", "gvisor") are the events' own.
 */
public class TenantControlPlaneSpec {

  @Required private String tenantId;
  private long placementGeneration;
  @Required private String plan;
  @Required private String datastore;
  private String databaseRef;

  /** The Secret, in the agent's namespace, that holds kine's database password. */
  private String credentialsSecret;

  @Required private String isolation;
  private long cpuMillis;
  private long memoryMiB;
  private long pods;

  /** The persistent-volume GiB the scheduler committed for the tenant's datastore's volumes. */
  private long storageGiB;

  private boolean highAvailability;
  private Integer storageGi;
  private int priority;

  public static TenantControlPlaneSpec of(Placement p) {
    TenantControlPlaneSpec s = new TenantControlPlaneSpec();
    s.tenantId = p.tenantId();
    s.placementGeneration = p.generation();
    s.plan = p.plan();
    s.datastore = p.datastore().mode().wire();
    s.databaseRef = p.datastore().databaseRef();
    s.credentialsSecret = p.datastore().credentialsSecret();
    s.isolation = p.isolation().wire();
    s.setResources(p.resources());
    s.highAvailability = p.highAvailability();
    s.storageGi = p.storageGi();
    s.priority = p.priority();
    return s;
  }

  public String getTenantId() {
    return tenantId;
  }

  public void setTenantId(String tenantId) {
    this.tenantId = tenantId;
  }

  public long getPlacementGeneration() {
    return placementGeneration;
  }

  public void setPlacementGeneration(long placementGeneration) {
    this.placementGeneration = placementGeneration;
  }

  public String getPlan() {
    return plan;
  }

  public void setPlan(String plan) {
    this.plan = plan;
  }

  public String getDatastore() {
    return datastore;
  }

  public void setDatastore(String datastore) {
    this.datastore = datastore;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public String getDatabaseRef() {
    return databaseRef;
  }

  public void setDatabaseRef(String databaseRef) {
    this.databaseRef = databaseRef;
  }

  public String getIsolation() {
    return isolation;
  }

  public void setIsolation(String isolation) {
    this.isolation = isolation;
  }

  public long getCpuMillis() {
    return cpuMillis;
  }

  public void setCpuMillis(long cpuMillis) {
    this.cpuMillis = cpuMillis;
  }

  public long getMemoryMiB() {
    return memoryMiB;
  }

  public void setMemoryMiB(long memoryMiB) {
    this.memoryMiB = memoryMiB;
  }

  public long getPods() {
    return pods;
  }

  public void setPods(long pods) {
    this.pods = pods;
  }

  public boolean isHighAvailability() {
    return highAvailability;
  }

  public void setHighAvailability(boolean highAvailability) {
    this.highAvailability = highAvailability;
  }

  public Integer getStorageGi() {
    return storageGi;
  }

  public void setStorageGi(Integer storageGi) {
    this.storageGi = storageGi;
  }

  public int getPriority() {
    return priority;
  }

  public void setPriority(int priority) {
    this.priority = priority;
  }

  public long getStorageGiB() {
    return storageGiB;
  }

  public void setStorageGiB(long storageGiB) {
    this.storageGiB = storageGiB;
  }

  /** What the scheduler committed for the tenant, in every dimension. */
  @JsonIgnore
  public Resources resources() {
    return Resources.of(new long[] {cpuMillis, memoryMiB, pods, storageGiB});
  }

  /** Sets every committed amount at once. */
  @JsonIgnore
  public void setResources(Resources r) {
    cpuMillis = r.get(Dimension.CPU);
    memoryMiB = r.get(Dimension.MEMORY);
    pods = r.get(Dimension.PODS);
    storageGiB = r.get(Dimension.STORAGE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantControlPlaneSpec s
        && placementGeneration == s.placementGeneration
        && cpuMillis == s.cpuMillis
        && memoryMiB == s.memoryMiB
        && pods == s.pods
        && storageGiB == s.storageGiB
        && highAvailability == s.highAvailability
        && priority == s.priority
        && Objects.equals(tenantId, s.tenantId)
        && Objects.equals(plan, s.plan)
        && Objects.equals(datastore, s.datastore)
        && Objects.equals(databaseRef, s.databaseRef)
        && Objects.equals(credentialsSecret, s.credentialsSecret)
        && Objects.equals(isolation, s.isolation)
        && Objects.equals(storageGi, s.storageGi);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenantId, placementGeneration, plan, datastore, isolation);
  }
}
