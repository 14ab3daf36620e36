package io.fleetplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Assertion helpers for decode results. */
final class Decoding {

  private Decoding() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> Decoded.Failure<T> failure(Decoded<T> d) {
    assertThat(d).isInstanceOf(Decoded.Failure.class);
    return (Decoded.Failure<T>) d;
  }

  static <T> T ok(Decoded<T> d) {
    assertThat(d)
        .as(() -> d instanceof Decoded.Failure<T> f ? f.reason() : "ok")
        .isInstanceOf(Decoded.Ok.class);
    return ((Decoded.Ok<T>) d).value();
  }

  static List<String> fields(Decoded.Failure<?> f) {
    return f.problems().stream().map(Problem::field).toList();
  }
}
