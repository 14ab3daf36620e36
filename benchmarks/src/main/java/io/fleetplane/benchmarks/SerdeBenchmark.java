package io.fleetplane.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.EventCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Encode and decode (with validation) per event type, one thread. Baseline in the same run:
 * Jackson's {@code ObjectMapper.readTree} of the same bytes, which parses but checks nothing.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar SerdeBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SerdeBenchmark {

  @Param({"TenantRequest", "HostReport", "Placement", "TenantEvent"})
  public String event;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

  @SuppressWarnings("rawtypes")
  private EventCodec codec;

  private Object value;
  private byte[] bytes;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    switch (event) {
      case "TenantRequest" -> {
        codec = Codecs.tenantRequest();
        value =
            TenantRequest.create(
                    "acme-prod",
                    "7f0c2a9e-1b44-4f5e-9a51-3c1d2e0b9f11",
                    "medium",
                    "eu-west",
                    Datastore.of(DatastoreMode.DEDICATED_ETCD),
                    Isolation.GVISOR)
                .withPriority(100)
                .withRequestedAt(T);
      }
      case "HostReport" -> {
        codec = Codecs.HOST_REPORT;
        value =
            new HostReport(
                "eu-west-h001",
                "eu-west",
                List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"),
                Map.of("fleet.io/tier", "gold", "topology.kubernetes.io/region", "eu-west"),
                List.of(new Taint("dedicated", "acme", "NoSchedule")),
                new Resources(800_000, 2_457_600, 5_500),
                new Resources(12_000, 24_576, 180),
                new Resources(400_000, 800_000, 2_400),
                new HostReport.Capabilities(true, Set.of(DatastoreMode.values()), 120),
                new HostReport.NodeCounts(98, 100),
                800,
                "0.1.0",
                T);
      }
      case "Placement" -> {
        codec = Codecs.PLACEMENT;
        value =
            new Placement(
                "acme-prod",
                "eu-west-h001",
                3,
                "medium",
                Datastore.of(DatastoreMode.DEDICATED_ETCD),
                Isolation.GVISOR,
                new Resources(850, 1792, 3),
                false,
                null,
                100,
                "req-1",
                T);
      }
      case "TenantEvent" -> {
        codec = Codecs.TENANT_EVENT;
        value =
            TenantEvent.of(
                "acme-prod",
                TenantEvent.Type.PLACED,
                TenantEvent.Source.SCHEDULER,
                "eu-west-h001",
                "req-1",
                "best-fit: score 0.93 on eu-west-h001",
                T);
      }
      default -> throw new IllegalArgumentException(event);
    }
    bytes = codec.encode(value);
    if (!(codec.decode(bytes) instanceof Decoded.Ok)) {
      throw new IllegalStateException("benchmark input does not decode: " + codec.decode(bytes));
    }
    // An equal value that is another object: the codec re-uses the bytes of the very object it
    // encoded last, so encode() alternates between the two to measure real encodings.
    twin = codec.decode(bytes).orElseThrow();
  }

  private Object twin;
  private boolean flip;

  @Benchmark
  @SuppressWarnings("unchecked")
  public byte[] encode() {
    flip = !flip;
    return codec.encode(flip ? value : twin);
  }

  @Benchmark
  public Object decode() {
    return codec.decode(bytes);
  }

  @Benchmark
  public JsonNode baselineJacksonReadTree() throws IOException {
    return MAPPER.readTree(bytes);
  }
}
