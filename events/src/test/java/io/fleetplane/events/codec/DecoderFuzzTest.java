package io.fleetplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Fixtures;
import io.fleetplane.events.Problem;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes arrive, a decoder returns a {@link Decoded}: never an exception, never an error,
 * and never more memory than the size limit allows.
 */
class DecoderFuzzTest {

  private static final List<EventCodec<?, ?>> CODECS =
      List.of(
          Codecs.tenantRequest(),
          Codecs.HOST_REPORT,
          Codecs.PLACEMENT,
          Codecs.TENANT_EVENT,
          Codecs.DEAD_LETTER,
          Codecs.HOST_COMMAND);

  private static final String[] FIELD_NAMES = {
    "v",
    "op",
    "tenantId",
    "requestId",
    "plan",
    "datastore",
    "mode",
    "databaseRef",
    "isolation",
    "region",
    "requiredLabels",
    "tolerations",
    "key",
    "value",
    "effect",
    "highAvailability",
    "storageGi",
    "priority",
    "requestedAt",
    "clusterId",
    "zones",
    "labels",
    "taints",
    "allocatable",
    "unmanagedUsed",
    "tenantUsed",
    "cpuMillis",
    "memoryMiB",
    "pods",
    "capabilities",
    "gvisor",
    "datastoreModes",
    "nodes",
    "ready",
    "total",
    "generation",
    "resources",
    "type",
    "source",
    "reason",
    "problems",
    "refusals",
    "at",
    "sourceTopic",
    "partition",
    "offset",
    "originalSize"
  };

  private static List<byte[]> validEncodings() {
    return List.of(
        Codecs.tenantRequest().encode(Fixtures.fullCreate()),
        Codecs.HOST_REPORT.encode(Fixtures.hostReport("h1")),
        Codecs.PLACEMENT.encode(Fixtures.placement("h1", "acme")),
        Codecs.TENANT_EVENT.encode(Fixtures.pending("acme")),
        Codecs.DEAD_LETTER.encode(
            DeadLetter.of(
                "t",
                1,
                2,
                new byte[] {1},
                new byte[] {2},
                "r",
                List.of(new Problem("f", "m")),
                Fixtures.T0)));
  }

  /** Decodes with every codec; the assertion is that each returns a result, not a throw. */
  private static void decodesToATypedResult(byte[] bytes) {
    for (EventCodec<?, ?> codec : CODECS) {
      Decoded<?> d = codec.decode(bytes);
      assertThat(d).isNotNull();
      if (d instanceof Decoded.Failure<?> f) {
        assertThat(f.problems()).isNotEmpty();
        assertThat(f.reason()).isNotBlank();
      }
    }
  }

  @Property(tries = 3000)
  void randomBytesGiveOnlyTypedResults(@ForAll @Size(max = 512) byte[] bytes) {
    decodesToATypedResult(bytes);
  }

  @Property(tries = 2000)
  void truncatedJsonIsMalformed(
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll Random random) {
    byte[] valid = validEncodings().get(which);
    byte[] cut = java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
    Decoded<?> d = CODECS.get(which).decode(cut);
    assertThat(d).isInstanceOf(Decoded.Failure.class);
    assertThat(((Decoded.Failure<?>) d).kind()).isIn(FailureKind.EMPTY, FailureKind.MALFORMED_JSON);
  }

  @Property(tries = 2000)
  void randomJsonOfEveryShapeGivesOnlyTypedResults(@ForAll("jsonDocuments") String json) {
    decodesToATypedResult(json.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 1000)
  void aValueOfTheWrongTypeIsNamedByItsField(
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll Random random) {
    String valid = new String(validEncodings().get(which), StandardCharsets.UTF_8);
    // Replace the first string value with a number, or a number with a string: a wrong type.
    String wrong =
        random.nextBoolean()
            ? valid.replaceFirst(":\"[^\"]*\"", ":" + random.nextInt())
            : valid.replaceFirst(":(-?\\d+)([,}])", ":\"x\"$2");
    Decoded<?> d = CODECS.get(which).decode(wrong.getBytes(StandardCharsets.UTF_8));
    if (!wrong.equals(valid)) {
      assertThat(d).isInstanceOf(Decoded.Failure.class);
    }
  }

  @Property(tries = 200)
  void hugeStringsAreRefusedNotParsed(@ForAll @IntRange(min = 8_000, max = 3_000_000) int length) {
    String json = "{\"v\":1,\"tenantId\":\"" + "a".repeat(length) + "\"}";
    for (EventCodec<?, ?> codec : CODECS) {
      Decoded<?> d = codec.decode(json.getBytes(StandardCharsets.UTF_8));
      assertThat(d).isInstanceOf(Decoded.Failure.class);
    }
  }

  @Property(tries = 200)
  void deepNestingIsRefusedWithoutOverflowingTheStack(
      @ForAll @IntRange(min = 17, max = 200_000) int depth) {
    String json = "{\"v\":1,\"labels\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    for (EventCodec<?, ?> codec : CODECS) {
      Decoded<?> d = codec.decode(json.getBytes(StandardCharsets.UTF_8));
      assertThat(d).isInstanceOf(Decoded.Failure.class);
    }
  }

  @Test
  void aHundredMegabyteValueIsRefusedBeforeItIsParsed() {
    byte[] huge = new byte[100 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) '[');
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (EventCodec<?, ?> codec : CODECS) {
      codec.decode(huge); // warm up: class loading allocates
      long before = threads.getCurrentThreadAllocatedBytes();
      Decoded<?> d = codec.decode(huge);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertThat(((Decoded.Failure<?>) d).kind()).isEqualTo(FailureKind.TOO_LARGE);
      // Refusing costs the message, not a copy of the value: well under 64 KiB.
      assertThat(allocated).isLessThan(64 * 1024);
    }
  }

  @Provide
  Arbitrary<String> jsonDocuments() {
    return Arbitraries.randoms()
        .map(
            r -> {
              StringBuilder sb = new StringBuilder();
              sb.append('{');
              if (r.nextInt(4) > 0) {
                sb.append("\"v\":").append(r.nextInt(5) == 0 ? r.nextInt(4) : 1).append(',');
              }
              object(r, sb, 0, true);
              return sb.toString();
            });
  }

  private static void object(Random r, StringBuilder sb, int depth, boolean opened) {
    if (!opened) {
      sb.append('{');
    }
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(FIELD_NAMES[r.nextInt(FIELD_NAMES.length)]).append("\":");
      value(r, sb, depth + 1);
    }
    if (opened && n == 0 && sb.charAt(sb.length() - 1) == ',') {
      sb.setLength(sb.length() - 1);
    }
    sb.append('}');
  }

  private static void value(Random r, StringBuilder sb, int depth) {
    int kind = r.nextInt(depth > 4 ? 6 : 8);
    switch (kind) {
      case 0 -> sb.append("null");
      case 1 -> sb.append(r.nextBoolean());
      case 2 -> sb.append(r.nextLong() >> r.nextInt(64));
      case 3 -> sb.append(r.nextDouble() * 1e6 - 5e5);
      case 4, 5 -> sb.append('"').append(STRINGS[r.nextInt(STRINGS.length)]).append('"');
      case 6 -> {
        sb.append('[');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            sb.append(',');
          }
          value(r, sb, depth + 1);
        }
        sb.append(']');
      }
      default -> object(r, sb, depth, false);
    }
  }

  private static final String[] STRINGS = {
    "",
    "a",
    "acme",
    "CREATE",
    "UPDATE",
    "DELETE",
    "small",
    "kine",
    "gvisor",
    "runc",
    "dedicated-etcd",
    "2026-11-24T10:00:00Z",
    "not-a-date",
    "eu-west",
    "\\u0000",
    "\\ud800",
    "postgres://db:5432/x",
    "NoSchedule",
    "PLACED",
    "scheduler",
    "A_B",
    "-x-",
    "ü"
  };
}
