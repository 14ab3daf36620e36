package io.fleetplane.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One step of a tenant's lifecycle, from the scheduler or the agent, always with a reason a person
 * understands. Key on {@code fleet.tenant-events}: the tenant id.
 *
 * @param clusterId the host involved, if any
 * @param requestId the request this answers, if any
 * @param generation the placement generation this is about, 0 if none
 * @param problems for REJECTED and FAILED: every problem found
 * @param refusals for PENDING: hosts refused, counted per reason ("insufficient memory": 612)
 */
public record TenantEvent(
    String tenantId,
    Type type,
    Source source,
    String clusterId,
    String requestId,
    long generation,
    String reason,
    List<Problem> problems,
    Map<String, Long> refusals,
    Instant at) {

  public TenantEvent {
    problems = Collections2.copy(problems);
    // Sorted: a person reading the event, or a test, sees the same order every run.
    refusals =
        refusals == null
            ? java.util.Collections.emptySortedMap()
            : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(refusals));
  }

  public static TenantEvent of(
      String tenantId,
      Type type,
      Source source,
      String clusterId,
      String requestId,
      String reason,
      Instant at) {
    return new TenantEvent(
        tenantId, type, source, clusterId, requestId, 0, reason, List.of(), Map.of(), at);
  }

  /** Who emits the event. */
  public enum Source implements WireEnum {
    SCHEDULER,
    AGENT;

    @Override
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The lifecycle steps. The scheduler emits the first group, the agent the second. */
  public enum Type implements WireEnum {
    ACCEPTED,
    PLACED,
    PENDING,
    REJECTED,
    RESIZED,
    MOVED,
    RELEASED,
    HOST_LOST,
    PROVISIONING,
    READY,
    FAILED,
    DELETED;

    @Override
    public String wire() {
      return name();
    }
  }
}
