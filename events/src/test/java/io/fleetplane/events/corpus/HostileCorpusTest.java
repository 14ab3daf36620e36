package io.fleetplane.events.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Names;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.EventCodec;
import io.fleetplane.events.corpus.HostileCorpus.Case;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The corpus against the decoders alone: every value is refused by its decoder with a reason a
 * person can read, except the few that only the scheduler's state can refuse; and a refused tenant
 * request names exactly the request id the corpus expects its REJECTED to carry.
 */
class HostileCorpusTest {

  /** Well-formed values that the scheduler refuses from its state, not the decoder. */
  static final Set<String> REFUSED_BY_STATE =
      Set.of(
          "record key is not the tenant id",
          "no record key",
          "record key is no tenant id",
          "request older than the retention",
          "DELETE of an unknown tenant",
          "UPDATE of an unknown tenant",
          "CREATE of a tenant that exists",
          "DELETE aimed at another incarnation",
          "host report keyed by another cluster",
          "host command",
          "host command keyed by another cluster");

  /** Words of the parser's that a reason must not repeat. */
  static final List<String> PARSER_WORDS =
      List.of(
          "Jackson",
          "jackson",
          "Feature",
          "StreamRead",
          "Constraints",
          "[Source",
          "REDACTED",
          "JsonToken",
          "(code ",
          "CTRL-CHAR",
          "Exception",
          "`");

  private final List<Case> corpus = HostileCorpus.generate(42);

  @Test
  void holdsMoreThanAThousandValuesOfEveryClass() {
    Map<String, Long> perKind = new TreeMap<>();
    for (Case c : corpus) {
      perKind.merge(c.kind(), 1L, Long::sum);
    }
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
    assertThat(perKind).hasSizeGreaterThan(40);
  }

  @Test
  void everyValueIsRefusedWithAReadableReasonOrIsOneOnlyStateRefuses() {
    for (Case c : corpus) {
      EventCodec<?, ?> codec =
          switch (c.topic()) {
            case TENANT_REQUESTS -> Codecs.tenantRequest();
            case HOST_REPORTS -> Codecs.HOST_REPORT;
            case HOST_COMMANDS -> Codecs.HOST_COMMAND;
          };
      Decoded<?> d = codec.decode(c.value());
      String what = c.kind() + " #" + corpus.indexOf(c);
      if (REFUSED_BY_STATE.contains(c.kind()) && d.isOk()) {
        continue;
      }
      assertThat(d).as(what).isInstanceOf(Decoded.Failure.class);
      Decoded.Failure<?> f = (Decoded.Failure<?>) d;
      String reason = f.reason();
      assertThat(Names.hasHiddenCharacters(reason)).as(what + ": " + reason).isFalse();
      for (String word : PARSER_WORDS) {
        assertThat(reason).as(what).doesNotContain(word);
      }
      assertThat(reason.length()).as(what + ": " + reason).isLessThan(2_000);
    }
  }

  @Test
  void aRefusedRequestNamesTheIdItsRejectionMustCarry() {
    for (Case c : corpus) {
      if (c.topic() != HostileCorpus.Topic.TENANT_REQUESTS || c.value() == null) {
        continue;
      }
      Decoded<?> d = Codecs.tenantRequest().decode(c.value());
      if (d instanceof Decoded.Failure<?> f) {
        assertThat(f.id("requestId"))
            .as(c.kind() + " #" + corpus.indexOf(c) + ": " + f.reason())
            .isEqualTo(c.requestId());
      }
    }
  }
}
