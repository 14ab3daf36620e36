package io.fleetplane.events.codec;

import static io.fleetplane.events.codec.Decoding.failure;
import static io.fleetplane.events.codec.Decoding.ok;
import static io.fleetplane.events.codec.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Fixtures;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Storage came after version 1 was fixed: an optional field, and values without it still read. */
class StorageOnTheWireTest {

  private static HostReport report(String allocatable, String unmanaged) {
    return ok(Codecs.HOST_REPORT.decode(utf8(hostJson(allocatable, unmanaged))));
  }

  private static String hostJson(String allocatable, String unmanaged) {
    return """
        {"v":1,"clusterId":"h1","region":"eu","reportedAt":"2026-11-24T10:00:00Z",
         "allocatable":%s,"unmanagedUsed":%s}
        """
        .formatted(allocatable, unmanaged);
  }

  @Test
  void aHostReportWrittenBeforeStorageReadsAsStorageUnreported() {
    HostReport r =
        report(
            "{\"cpuMillis\":4000,\"memoryMiB\":16384,\"pods\":110}",
            "{\"cpuMillis\":100,\"memoryMiB\":200,\"pods\":3}");

    assertThat(r.allocatable().reported(Dimension.STORAGE)).isFalse();
    assertThat(r.allocatable().cpuMillis()).isEqualTo(4000);
    assertThat(r.unmanagedUsed().storageGiB()).isZero();
    // Written again, it says nothing about storage, as its agent did not.
    String again = new String(Codecs.HOST_REPORT.encode(r), StandardCharsets.UTF_8);
    assertThat(again)
        .contains("\"allocatable\":{\"cpuMillis\":4000,\"memoryMiB\":16384,\"pods\":110}");
    assertThat(ok(Codecs.HOST_REPORT.decode(utf8(again)))).isEqualTo(r);
  }

  @Test
  void aHostReportWithStorageRoundTrips() {
    HostReport r =
        report(
            "{\"cpuMillis\":4000,\"memoryMiB\":16384,\"pods\":110,\"storageGiB\":2000}",
            "{\"cpuMillis\":100,\"memoryMiB\":200,\"pods\":3,\"storageGiB\":0}");

    assertThat(r.allocatable().storageGiB()).isEqualTo(2000);
    assertThat(ok(Codecs.HOST_REPORT.decode(Codecs.HOST_REPORT.encode(r)))).isEqualTo(r);
  }

  @Test
  void aPlacementWrittenBeforeStorageReadsAsNoStorage() {
    Placement p = Fixtures.placement("h1", "acme");
    String old =
        new String(Codecs.PLACEMENT.encode(p), StandardCharsets.UTF_8)
            .replace(",\"storageGiB\":0", "");
    assertThat(old).doesNotContain("storageGiB");

    Placement back = ok(Codecs.PLACEMENT.decode(utf8(old)));

    assertThat(back.resources().storageGiB()).isZero();
    assertThat(back).isEqualTo(p);
  }

  @Test
  void aPlacementCarriesTheStorageItCommitted() {
    Placement p = Fixtures.placement("h1", "acme");
    Placement withStorage =
        new Placement(
            p.tenantId(),
            p.clusterId(),
            p.generation(),
            p.plan(),
            p.datastore(),
            p.isolation(),
            p.resources().with(Dimension.STORAGE, 24),
            p.highAvailability(),
            p.storageGi(),
            p.priority(),
            p.requestId(),
            p.placedAt());
    String json = new String(Codecs.PLACEMENT.encode(withStorage), StandardCharsets.UTF_8);
    assertThat(json).contains("\"storageGiB\":24");
    assertThat(ok(Codecs.PLACEMENT.decode(utf8(json)))).isEqualTo(withStorage);
  }

  @Test
  void refusesStorageThatIsNegativeFractionalOrBeyondAPebibyte() {
    for (String bad : new String[] {"-1", "1.5", "\"10\"", Long.toString((1L << 20) + 1)}) {
      Decoded.Failure<HostReport> f =
          failure(
              Codecs.HOST_REPORT.decode(
                  utf8(
                      hostJson(
                          "{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1,\"storageGiB\":" + bad + "}",
                          "null"))));
      assertThat(Decoding.fields(f)).as(bad).containsExactly("allocatable.storageGiB");
    }
  }

  @Test
  void storageUsedOutsideTheFleetIsHeldToWhatTheHostOffersOnlyWhenItSaysWhat() {
    Decoded.Failure<HostReport> f =
        failure(
            Codecs.HOST_REPORT.decode(
                utf8(
                    hostJson(
                        "{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1,\"storageGiB\":100}",
                        "{\"cpuMillis\":0,\"memoryMiB\":0,\"pods\":0,\"storageGiB\":101}"))));
    assertThat(f.reason())
        .contains("unmanagedUsed.storageGiB: 101 is more than allocatable.storageGiB (100)");

    // A host that does not say how much storage it has is not held to any amount.
    HostReport r =
        report(
            "{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1}",
            "{\"cpuMillis\":0,\"memoryMiB\":0,\"pods\":0,\"storageGiB\":101}");
    assertThat(r.unmanagedUsed().storageGiB()).isEqualTo(101);
  }

  @Test
  void cpuMemoryAndPodsStayRequired() {
    Decoded.Failure<HostReport> f =
        failure(Codecs.HOST_REPORT.decode(utf8(hostJson("{\"storageGiB\":10}", "null"))));
    assertThat(Decoding.fields(f))
        .containsExactlyInAnyOrder(
            "allocatable.cpuMillis", "allocatable.memoryMiB", "allocatable.pods");
  }

  @Test
  void anAmountIteratesEveryDimensionByName() {
    Resources r = Resources.of(new long[] {1, 2, 3, 4});
    for (Dimension d : Dimension.values()) {
      assertThat(r.get(d)).isEqualTo(d.ordinal() + 1);
      assertThat(Resources.fromMap(r.asMap())).isEqualTo(r);
    }
    assertThat(r.asMap())
        .containsExactly(
            java.util.Map.entry("cpuMillis", 1L),
            java.util.Map.entry("memoryMiB", 2L),
            java.util.Map.entry("pods", 3L),
            java.util.Map.entry("storageGiB", 4L));
    // Stored before storage: read back as not reported, not as none.
    assertThat(
            Resources.fromMap(java.util.Map.of("cpuMillis", 1L, "memoryMiB", 2L, "pods", 3L))
                .reported(Dimension.STORAGE))
        .isFalse();
  }
}
