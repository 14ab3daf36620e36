package io.fleetplane.benchmarks;

import io.fleetplane.placement.Placer;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.score.ScoringPolicies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Packing density, every policy, tenants placed online in arrival order (seed {@link
 * Workload#SEED}). Not JMH: each scenario is one long run that ends in a count.
 *
 * <ul>
 *   <li>(a) 1,000,000 tenants onto identical large hosts: hosts used over the lower bound {@code
 *       max over resources of ceil(sum of demands / host capacity)}.
 *   <li>(b) 200,000 tenants onto a mixed fleet of three host sizes, the smallest taking about 50
 *       tenants: capacity of the hosts in use over the demand placed, in the binding resource (the
 *       one whose demand is the largest share of that capacity).
 *   <li>(c) churn: 500,000 tenants placed, then 1,000,000 steps of "delete a random live tenant,
 *       create one": hosts in use at the end over the lower bound for what is live.
 *   <li>(d) storage binds: 200,000 tenants with their datastores' volumes ({@link
 *       Workload#nextDemandWithVolumes}) onto 300 large hosts of 4,000 GiB each: hosts used over
 *       the lower bound, which storage sets.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -Xmx6g -cp
 * benchmarks/target/benchmarks.jar io.fleetplane.benchmarks.DensityRun [a] [b] [c] [d]}
 */
public final class DensityRun {

  static final ResourceVector MEDIUM_HOST = ResourceVector.of(200_000, 600 * 1024, 1_400);
  static final ResourceVector SMALL_HOST = ResourceVector.of(44_000, 128 * 1024, 300);

  public static void main(String[] args) {
    List<String> which = args.length == 0 ? List.of("a", "b", "c", "d") : List.of(args);
    System.out.printf(
        Locale.ROOT,
        "%-9s %-13s %10s %10s %9s %8s %12s %9s%n",
        "scenario",
        "policy",
        "tenants",
        "hosts used",
        "bound",
        "ratio",
        "decisions/s",
        "pending");
    for (String s : which) {
      for (String policy : ScoringPolicies.names()) {
        switch (s) {
          case "a" -> identical(policy);
          case "b" -> mixed(policy);
          case "c" -> churn(policy);
          case "d" -> storageBinding(policy);
          default ->
              throw new IllegalArgumentException("unknown scenario " + s + ": use a, b, c or d");
        }
      }
    }
  }

  static void identical(String policy) {
    CapacityLedger ledger = new CapacityLedger();
    for (int i = 0; i < 1_200; i++) {
      ledger.upsertHost(Workload.host(Workload.hostId(i), "r", Workload.LARGE_HOST));
    }
    long[] demand = new long[Resource.COUNT];
    long t0 = System.nanoTime();
    int pending = placeAll(new Placer(ledger, ScoringPolicies.byName(policy)), 1_000_000, demand);
    long nanos = System.nanoTime() - t0;
    int used = used(ledger);
    int bound = bound(demand, Workload.LARGE_HOST);
    print(
        "a",
        policy,
        1_000_000 - pending,
        used + "",
        bound + "",
        (double) used / bound,
        1_000_000,
        nanos,
        pending);
  }

  static void storageBinding(String policy) {
    CapacityLedger ledger = new CapacityLedger();
    for (int i = 0; i < 300; i++) {
      ledger.upsertHost(Workload.host(Workload.hostId(i), "r", Workload.LARGE_HOST_WITH_VOLUMES));
    }
    Placer placer = new Placer(ledger, ScoringPolicies.byName(policy));
    Workload w = new Workload(Workload.SEED);
    long[] demand = new long[Resource.COUNT];
    int pending = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < 200_000; i++) {
      Demand d = w.nextDemandWithVolumes("t" + i, "r");
      if (placer.place(d) instanceof Decision.Placed) {
        add(demand, d.resources());
      } else {
        pending++;
      }
    }
    long nanos = System.nanoTime() - t0;
    int used = used(ledger);
    int bound = bound(demand, Workload.LARGE_HOST_WITH_VOLUMES);
    print(
        "d",
        policy,
        200_000 - pending,
        used + "",
        bound + " (" + Resource.of(binding(demand, Workload.LARGE_HOST_WITH_VOLUMES)).label() + ")",
        (double) used / bound,
        200_000,
        nanos,
        pending);
  }

  /** The resource whose demand takes the largest share of a host. */
  static int binding(long[] demand, ResourceVector host) {
    int binding = 0;
    for (int r = 1; r < Resource.COUNT; r++) {
      if (host.get(r) > 0
          && (double) demand[r] / host.get(r) > (double) demand[binding] / host.get(binding)) {
        binding = r;
      }
    }
    return binding;
  }

  static void mixed(String policy) {
    List<ResourceVector> sizes = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      sizes.add(Workload.LARGE_HOST);
    }
    for (int i = 0; i < 480; i++) {
      sizes.add(MEDIUM_HOST);
    }
    for (int i = 0; i < 2_400; i++) {
      sizes.add(SMALL_HOST);
    }
    // Host ids in no size order, so that the id tie-break favours no size.
    Collections.shuffle(sizes, new Random(Workload.SEED));
    CapacityLedger ledger = new CapacityLedger();
    for (int i = 0; i < sizes.size(); i++) {
      ledger.upsertHost(Workload.host(Workload.hostId(i), "r", sizes.get(i)));
    }
    long[] demand = new long[Resource.COUNT];
    long t0 = System.nanoTime();
    int pending = placeAll(new Placer(ledger, ScoringPolicies.byName(policy)), 200_000, demand);
    long nanos = System.nanoTime() - t0;
    long[] capacity = new long[Resource.COUNT];
    int used = 0;
    int[] bySize = new int[3];
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      if (ledger.tenantCount(slot) > 0) {
        used++;
        add(capacity, ledger.host(slot).allocatable());
        ResourceVector a = ledger.host(slot).allocatable();
        bySize[a.equals(Workload.LARGE_HOST) ? 0 : a.equals(MEDIUM_HOST) ? 1 : 2]++;
      }
    }
    int binding = binding(demand, ResourceVector.of(capacity));
    double ratio = (double) capacity[binding] / demand[binding];
    print(
        "b",
        policy,
        200_000 - pending,
        used + " (" + bySize[0] + "L/" + bySize[1] + "M/" + bySize[2] + "S)",
        Resource.of(binding).label(),
        ratio,
        200_000,
        nanos,
        pending);
  }

  static void churn(String policy) {
    CapacityLedger ledger = new CapacityLedger();
    for (int i = 0; i < 800; i++) {
      ledger.upsertHost(Workload.host(Workload.hostId(i), "r", Workload.LARGE_HOST));
    }
    Placer placer = new Placer(ledger, ScoringPolicies.byName(policy));
    Workload w = new Workload(Workload.SEED);
    Random pick = new Random(Workload.SEED + 1);
    List<String> live = new ArrayList<>(500_000);
    long[] demand = new long[Resource.COUNT];
    int pending = 0;
    int next = 0;
    long t0 = System.nanoTime();
    int decisions = 0;
    for (int step = 0; step < 1_500_000; step++) {
      if (step >= 500_000 && !live.isEmpty()) {
        int i = pick.nextInt(live.size());
        String id = live.get(i);
        live.set(i, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        sub(demand, ledger.release(id).resources());
      }
      Demand d = w.nextDemand("t" + next++, "r");
      decisions++;
      if (placer.place(d) instanceof Decision.Placed) {
        live.add(d.tenantId());
        add(demand, d.resources());
      } else {
        pending++;
      }
    }
    long nanos = System.nanoTime() - t0;
    int used = used(ledger);
    int bound = bound(demand, Workload.LARGE_HOST);
    print(
        "c",
        policy,
        live.size(),
        used + "",
        bound + "",
        (double) used / bound,
        decisions,
        nanos,
        pending);
  }

  /** Places n tenants of the plan mix in arrival order; adds what was placed to demand. */
  private static int placeAll(Placer placer, int n, long[] demand) {
    Workload w = new Workload(Workload.SEED);
    int pending = 0;
    for (int i = 0; i < n; i++) {
      Demand d = w.nextDemand("t" + i, "r");
      if (placer.place(d) instanceof Decision.Placed) {
        add(demand, d.resources());
      } else {
        pending++;
      }
    }
    return pending;
  }

  private static int used(CapacityLedger ledger) {
    int used = 0;
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      if (ledger.tenantCount(slot) > 0) {
        used++;
      }
    }
    return used;
  }

  /** max over the resources a host offers of ceil(sum of demands / host capacity) */
  static int bound(long[] demand, ResourceVector host) {
    long b = 0;
    for (int r = 0; r < Resource.COUNT; r++) {
      if (host.get(r) > 0) {
        b = Math.max(b, (demand[r] + host.get(r) - 1) / host.get(r));
      }
    }
    return (int) b;
  }

  private static void add(long[] sum, ResourceVector v) {
    for (int r = 0; r < sum.length; r++) {
      sum[r] += v.get(r);
    }
  }

  private static void sub(long[] sum, ResourceVector v) {
    for (int r = 0; r < sum.length; r++) {
      sum[r] -= v.get(r);
    }
  }

  private static void print(
      String scenario,
      String policy,
      int tenants,
      String used,
      String bound,
      double ratio,
      int decisions,
      long nanos,
      int pending) {
    System.out.printf(
        Locale.ROOT,
        "%-9s %-13s %10d %10s %9s %8.4f %12.0f %9d%n",
        scenario,
        policy,
        tenants,
        used,
        bound,
        ratio,
        decisions / (nanos / 1e9),
        pending);
  }
}
