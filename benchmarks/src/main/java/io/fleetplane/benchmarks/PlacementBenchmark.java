package io.fleetplane.benchmarks;

import io.fleetplane.placement.NaivePlacer;
import io.fleetplane.placement.Placer;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.score.ScoringPolicies;
import io.fleetplane.placement.score.ScoringPolicy;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Best-fit decisions per second, indexed against the naive scan, at 1,000 / 10,000 / 100,000 hosts,
 * on one thread.
 *
 * <p>The fleet: one region of large hosts (800 CPU / 2,400 GiB / 5,500 pods: one pool, the index's
 * hardest case), each already holding a filler commitment (see {@link #fill}; seed {@link
 * Workload#SEED}). One operation = one decision with its commitment (a tenant from the plan mix)
 * plus the release of the tenant placed 1,024 operations earlier, which keeps the fill steady.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar PlacementBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class PlacementBenchmark {

  @Param({"1000", "10000", "100000"})
  public int hosts;

  @Param({"index", "scan"})
  public String placer;

  @Param({"best-fit"})
  public String policy;

  /**
   * random: each host holds a random 0-95% of each resource. stranded: the same, but then even
   * hosts are out of CPU (400m free) and odd hosts out of memory (256 MiB free), except one host in
   * 1,000: the two kinds interleave in key order, the case where per-dimension maxima of mixed
   * subtrees mislead a search.
   */
  @Param({"random", "stranded"})
  public String fill;

  private static final int WINDOW = 1024;
  private static final int RING = 2 * WINDOW;

  private CapacityLedger ledger;
  private Function<Demand, Decision> place;
  private Demand[] demands;
  private int op;

  @Setup(Level.Trial)
  public void setUp() {
    ledger = new CapacityLedger();
    Workload w = new Workload(Workload.SEED);
    Random r = w.random();
    for (int i = 0; i < hosts; i++) {
      String id = Workload.hostId(i);
      ledger.upsertHost(Workload.host(id, "r", Workload.LARGE_HOST));
      ledger.commit("filler-" + i, id, filler(i, r), 0, false);
    }
    ScoringPolicy p = ScoringPolicies.byName(policy);
    if (placer.equals("index")) {
      place = new Placer(ledger, p)::place;
    } else {
      place = new NaivePlacer(ledger, p)::place;
    }
    demands = new Demand[RING];
    for (int i = 0; i < RING; i++) {
      demands[i] = w.nextDemand("t" + i, "r");
    }
    op = 0;
  }

  private ResourceVector filler(int i, Random r) {
    ResourceVector cap = Workload.LARGE_HOST;
    long[] f = new long[Resource.COUNT];
    for (int d = 0; d < f.length; d++) {
      // Only what the host offers: a resource it has none of draws nothing, so the fleet is the
      // same whatever resources placement knows.
      f[d] = cap.get(d) == 0 ? 0 : (long) (cap.get(d) * 0.95 * r.nextDouble());
    }
    if (fill.equals("stranded") && i % 1000 != 999) {
      int full = i % 2 == 0 ? Resource.CPU.ordinal() : Resource.MEMORY.ordinal();
      f[full] = cap.get(full) - (full == Resource.CPU.ordinal() ? 400 : 256);
    }
    return ResourceVector.of(f);
  }

  @Benchmark
  public Decision decide() {
    int i = op++;
    ledger.release(demands[(i + WINDOW) & (RING - 1)].tenantId());
    return place.apply(demands[i & (RING - 1)]);
  }
}
