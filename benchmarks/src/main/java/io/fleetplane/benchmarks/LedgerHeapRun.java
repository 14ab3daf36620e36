package io.fleetplane.benchmarks;

import io.fleetplane.placement.Placer;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.score.ScoringPolicies;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained heap per tenant in the ledger: the ledger's object graph (walked by JOL) with 1,000,000
 * tenants, less the same ledger with its hosts and no tenants, divided by the tenants. Tenant ids
 * are realistic ("tenant-0000001", 14 characters). The placer's index is per host, not per tenant,
 * and is reported apart.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -Xmx4g
 * -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar
 * io.fleetplane.benchmarks.LedgerHeapRun}
 */
public final class LedgerHeapRun {

  public static void main(String[] args) {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int hosts = 1_200;
    CapacityLedger ledger = new CapacityLedger();
    for (int i = 0; i < hosts; i++) {
      ledger.upsertHost(Workload.host(Workload.hostId(i), "r", Workload.LARGE_HOST));
    }
    long empty = GraphLayout.parseInstance(ledger).totalSize();
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    long withIndex = GraphLayout.parseInstance(placer).totalSize();
    Workload w = new Workload(Workload.SEED);
    for (int i = 0; i < tenants; i++) {
      placer.place(w.nextDemand(String.format("tenant-%07d", i), "r"));
    }
    long full = GraphLayout.parseInstance(ledger).totalSize();
    System.out.printf(Locale.ROOT, "ledger, %d hosts and no tenants: %,d bytes%n", hosts, empty);
    System.out.printf(
        Locale.ROOT,
        "ledger, %d hosts and %,d tenants: %,d bytes%n",
        hosts,
        ledger.tenantCount(),
        full);
    System.out.printf(
        Locale.ROOT,
        "retained heap per tenant: %.1f bytes%n",
        (double) (full - empty) / ledger.tenantCount());
    System.out.printf(
        Locale.ROOT, "best-fit index: %.0f bytes per host%n", (double) (withIndex - empty) / hosts);
  }
}
