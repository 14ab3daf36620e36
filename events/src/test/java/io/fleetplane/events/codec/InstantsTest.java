package io.fleetplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class InstantsTest {

  @Property(tries = 5000)
  void readsWhatInstantToStringWritesExactlyAsTheJdkDoes(
      @ForAll @LongRange(min = 0, max = 253_402_300_799L) long seconds, @ForAll Random random) {
    int nanos =
        switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1000) * 1_000_000;
          case 2 -> random.nextInt(1_000_000) * 1000;
          default -> random.nextInt(1_000_000_000);
        };
    Instant i = Instant.ofEpochSecond(seconds, nanos);
    assertThat(Instants.parse(i.toString())).isEqualTo(i).isEqualTo(Instant.parse(i.toString()));
  }

  @Test
  void normalisesAnyOffsetToUtc() {
    assertThat(Instants.parse("2026-11-24T12:15:30+02:00"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
    assertThat(Instants.parse("2026-11-24T05:15:30.5-05:00"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:30.5Z"));
    assertThat(Instants.parse("2026-11-24T10:15Z"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:00Z"));
  }

  @Test
  void refusesTimesWithoutAnOffsetAndOtherForms() {
    for (String s :
        new String[] {
          "2026-11-24T10:00:00", // a local time names no instant
          "2026-11-24 10:00:00Z",
          "2026-11-24T10:00:00.Z",
          "+12026-01-01T00:00:00Z", // four-digit years only
          "2026-11-24T10:00:00+0200",
          "2026-11-24t10:00:00z",
          "2026-02-30T00:00:00Z",
          "2026-11-24T25:00:00Z",
          "2026-11-24T10:00:00.1234567890Z"
        }) {
      assertThatThrownBy(() -> Instants.parse(s)).as(s).isInstanceOf(DateTimeException.class);
    }
  }
}
