package io.fleetplane.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sample events, one of each kind, valid unless a test changes them. */
public final class Fixtures {

  private Fixtures() {}

  public static final Instant T0 = Instant.parse("2026-11-24T10:15:30Z");

  public static TenantRequest create(String tenantId) {
    return TenantRequest.create(
            tenantId,
            "req-" + tenantId,
            "medium",
            "eu-west",
            Datastore.of(DatastoreMode.DEDICATED_ETCD),
            Isolation.GVISOR)
        .withRequestedAt(T0);
  }

  public static TenantRequest fullCreate() {
    return TenantRequest.create(
            "acme-prod",
            "7f0c2a9e-1b44-4f5e-9a51-3c1d2e0b9f11",
            "crossplane-medium",
            "eu-west",
            Datastore.kine("postgres://kine@db.acme.example:5432/acme_prod"),
            Isolation.GVISOR)
        .withRequiredLabels(Map.of("fleet.io/tier", "gold"))
        .withTolerations(List.of(new Toleration("dedicated", "acme", "NoSchedule")))
        .withHighAvailability(true)
        .withPriority(500)
        .withRequestedAt(T0);
  }

  public static HostReport hostReport(String clusterId) {
    return new HostReport(
        clusterId,
        "eu-west",
        List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"),
        Map.of("fleet.io/tier", "gold"),
        List.of(new Taint("dedicated", "acme", "NoSchedule")),
        new Resources(800_000, 2_457_600, 5_500),
        new Resources(12_000, 24_576, 180),
        new Resources(4_000, 8_192, 24),
        new HostReport.Capabilities(
            true, Set.of(DatastoreMode.DEDICATED_ETCD, DatastoreMode.KINE), 0),
        new HostReport.NodeCounts(98, 100),
        8,
        "0.1.0",
        T0);
  }

  public static Placement placement(String clusterId, String tenantId) {
    return new Placement(
        tenantId,
        clusterId,
        1,
        "medium",
        Datastore.of(DatastoreMode.DEDICATED_ETCD),
        Isolation.GVISOR,
        new Resources(850, 1792, 3),
        false,
        null,
        0,
        "req-" + tenantId,
        T0);
  }

  public static TenantEvent pending(String tenantId) {
    return new TenantEvent(
        tenantId,
        TenantEvent.Type.PENDING,
        TenantEvent.Source.SCHEDULER,
        null,
        "req-" + tenantId,
        0,
        "0/1000 hosts available: 612 insufficient memory, 388 not in region eu-west",
        List.of(),
        Map.of("insufficient memory", 612L, "not in region eu-west", 388L),
        T0);
  }

  public static TenantEvent rejected(String tenantId) {
    return new TenantEvent(
        tenantId,
        TenantEvent.Type.REJECTED,
        TenantEvent.Source.SCHEDULER,
        null,
        "req-" + tenantId,
        0,
        "invalid request",
        List.of(new Problem("plan", "unknown plan 'huge'")),
        Map.of(),
        T0);
  }
}
