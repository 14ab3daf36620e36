package io.fleetplane.events.codec;

import static io.fleetplane.events.codec.Decoding.failure;
import static io.fleetplane.events.codec.Decoding.ok;
import static io.fleetplane.events.codec.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Fixtures;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecsTest {

  @Test
  void roundTripsAHostReport() {
    HostReport r = Fixtures.hostReport("eu-west-h001");
    assertThat(ok(Codecs.HOST_REPORT.decode(Codecs.HOST_REPORT.encode(r)))).isEqualTo(r);
  }

  @Test
  void roundTripsAPlacement() {
    Placement p = Fixtures.placement("eu-west-h001", "acme");
    assertThat(ok(Codecs.PLACEMENT.decode(Codecs.PLACEMENT.encode(p)))).isEqualTo(p);
  }

  @Test
  void roundTripsTenantEventsWithProblemsAndRefusals() {
    for (TenantEvent e : List.of(Fixtures.pending("acme"), Fixtures.rejected("acme"))) {
      assertThat(ok(Codecs.TENANT_EVENT.decode(Codecs.TENANT_EVENT.encode(e)))).isEqualTo(e);
    }
  }

  @Test
  void theSameEventEncodedTwiceGivesEqualBytesThatEachCallerOwns() {
    TenantEvent e = Fixtures.pending("acme");
    TenantEvent equalTwin = ok(Codecs.TENANT_EVENT.decode(Codecs.TENANT_EVENT.encode(e)));
    byte[] first = Codecs.TENANT_EVENT.encode(e);
    byte[] again = Codecs.TENANT_EVENT.encode(e);
    first[0] = 'x'; // a caller that scribbles on its bytes does not change the next caller's

    assertThat(again).isNotSameAs(first);
    assertThat(Codecs.TENANT_EVENT.encode(e)).isEqualTo(again);
    assertThat(Codecs.TENANT_EVENT.encode(equalTwin)).isEqualTo(again);
    assertThat(ok(Codecs.TENANT_EVENT.decode(again))).isEqualTo(e);
  }

  @Test
  void roundTripsADeadLetterKeepingTheOriginalBytes() {
    byte[] original = {(byte) 0xff, 0, '{', 'x'};
    DeadLetter l =
        DeadLetter.of(
            "fleet.tenant-requests",
            3,
            1234L,
            "acme".getBytes(StandardCharsets.UTF_8),
            original,
            "malformed JSON",
            List.of(new Problem("", "Unexpected character")),
            Fixtures.T0);
    DeadLetter back = ok(Codecs.DEAD_LETTER.decode(Codecs.DEAD_LETTER.encode(l)));
    assertThat(back.value()).isEqualTo(original);
    assertThat(back.key()).isEqualTo(l.key());
    assertThat(back.offset()).isEqualTo(1234L);
    assertThat(back.problems()).isEqualTo(l.problems());
    assertThat(back.truncated()).isFalse();
  }

  @Test
  void keepsOnlyTheHeadOfAHugeDeadValueAndSaysSo() {
    byte[] huge = new byte[DeadLetter.MAX_KEPT_BYTES * 3];
    DeadLetter l = DeadLetter.of("t", 0, 0, null, huge, "too large", List.of(), Fixtures.T0);
    DeadLetter back = ok(Codecs.DEAD_LETTER.decode(Codecs.DEAD_LETTER.encode(l)));
    assertThat(back.value()).hasSize(DeadLetter.MAX_KEPT_BYTES);
    assertThat(back.originalSize()).isEqualTo(huge.length);
    assertThat(back.truncated()).isTrue();
  }

  @Test
  void refusesAHostReportWithNonsenseCapacity() {
    Decoded.Failure<HostReport> f =
        failure(
            Codecs.HOST_REPORT.decode(
                utf8(
                    """
        {"v":1,"clusterId":"h1","region":"eu-west","reportedAt":"2026-11-24T10:00:00Z",
         "allocatable":{"cpuMillis":-4000,"memoryMiB":999999999999999,"pods":110},
         "nodes":{"ready":5,"total":3}}
        """)));
    assertThat(f.reason())
        .contains("allocatable.cpuMillis: must be between 0 and")
        .contains(
            "allocatable.memoryMiB: must be between 0 and 1,073,741,824, got 999,999,999,999,999")
        .contains("nodes: ready (5) cannot exceed total (3)");
  }

  @Test
  void refusesAHostReportWithoutCapacityOrId() {
    Decoded.Failure<HostReport> f =
        failure(
            Codecs.HOST_REPORT.decode(
                utf8("{\"v\":1,\"region\":\"eu\",\"reportedAt\":\"2026-11-24T10:00:00Z\"}")));
    assertThat(Decoding.fields(f)).containsExactlyInAnyOrder("clusterId", "allocatable");
  }

  @Test
  void refusesAPlacementForAnInvalidTenant() {
    Decoded.Failure<Placement> f =
        failure(
            Codecs.PLACEMENT.decode(
                Codecs.PLACEMENT.encode(Fixtures.placement("h1", "Not/Valid"))));
    assertThat(f.reason()).contains("is not a valid tenant id");
  }

  @Test
  void ignoresUnknownFieldsSoProducersCanAddOptionalOnes() {
    byte[] withExtra =
        utf8(
            new String(
                    Codecs.PLACEMENT.encode(Fixtures.placement("h1", "a")), StandardCharsets.UTF_8)
                .replace("{\"v\":1,", "{\"v\":1,\"future\":{\"x\":[1,2,{\"y\":null}]},"));
    assertThat(ok(Codecs.PLACEMENT.decode(withExtra))).isEqualTo(Fixtures.placement("h1", "a"));
  }

  @Test
  void plainSerdeThrowsOnlyWhenAskedForAValueOutright() {
    var serde = Codecs.PLACEMENT.serde();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", utf8("nope")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("malformed JSON");
    assertThat(Codecs.PLACEMENT.deserializer().deserialize("t", utf8("nope")))
        .isInstanceOf(Decoded.Failure.class);
    assertThat(Codecs.PLACEMENT.deserializer().deserialize("t", null)).as("tombstone").isNull();
  }

  @Test
  void roundTripsRefusalReasonsAsLongAsTheLongestLabelKey() {
    String key = "a".repeat(253) + "/" + "b".repeat(63);
    TenantEvent e =
        new TenantEvent(
            "t",
            TenantEvent.Type.PENDING,
            TenantEvent.Source.SCHEDULER,
            null,
            "r",
            0,
            "no host",
            List.of(),
            java.util.Map.of("missing label " + key + "=" + "v".repeat(63), 3L),
            Fixtures.T0);
    assertThat(ok(Codecs.TENANT_EVENT.decode(Codecs.TENANT_EVENT.encode(e)))).isEqualTo(e);
  }

  @Test
  void readsAnAbsentOrNullUsageAsZeroWithoutExtraProblems() {
    HostReport r =
        ok(
            Codecs.HOST_REPORT.decode(
                utf8(
                    """
        {"v":1,"clusterId":"h1","region":"eu","reportedAt":"2026-11-24T10:00:00Z",
         "allocatable":{"cpuMillis":1,"memoryMiB":1,"pods":1},"unmanagedUsed":null,"nodes":null}
        """)));
    assertThat(r.unmanagedUsed()).isEqualTo(io.fleetplane.events.Resources.ZERO);
    Decoded.Failure<HostReport> f =
        failure(
            Codecs.HOST_REPORT.decode(
                utf8(
                    """
        {"v":1,"clusterId":"h1","region":"eu","reportedAt":"2026-11-24T10:00:00Z",
         "allocatable":{"cpuMillis":1,"memoryMiB":1,"pods":1},"nodes":{"ready":"x","total":3},
         "taints":[{"value":"x","effect":"NoSchedule"},{"key":"k","effect":"Bogus"}]}
        """)));
    assertThat(Decoding.fields(f))
        .containsExactlyInAnyOrder("nodes.ready", "taints[0].key", "taints[1].effect");
  }
}
