package io.fleetplane.agent.crd;

/**
 * What the controller last saw of the tenant: {@code phase} is Provisioning, Ready, Failed or
 * Deleting, with a {@code message} that says why, for the spec of {@code observedGeneration}.
 */
public class TenantControlPlaneStatus {

  /** Its objects are being made, or its workloads are not all available yet. */
  public static final String PROVISIONING = "Provisioning";

  /** Every workload of the tenant is available. */
  public static final String READY = "Ready";

  /** Something a reconcile cannot fix by itself: the message says what. */
  public static final String FAILED = "Failed";

  private String phase;
  private String message;
  private Long observedGeneration;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
