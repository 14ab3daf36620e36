package io.fleetplane.events;

import java.time.Instant;
import java.util.List;

/**
 * A record that could not be processed, with where it came from and why. Value on {@code
 * fleet.dead-letters}; its key is the original key. {@code value} holds at most {@link
 * #MAX_KEPT_BYTES} of the original bytes ({@code originalSize} tells if it was cut).
 */
public record DeadLetter(
    String sourceTopic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    int originalSize,
    String reason,
    List<Problem> problems,
    Instant at) {

  public static final int MAX_KEPT_BYTES = 64 * 1024;

  public DeadLetter {
    problems = Collections2.copy(problems);
  }

  /** A dead letter for {@code value}, keeping at most {@link #MAX_KEPT_BYTES} of it. */
  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String reason,
      List<Problem> problems,
      Instant at) {
    int size = value == null ? 0 : value.length;
    byte[] kept =
        value == null || size <= MAX_KEPT_BYTES
            ? value
            : java.util.Arrays.copyOf(value, MAX_KEPT_BYTES);
    return new DeadLetter(topic, partition, offset, key, kept, size, reason, problems, at);
  }

  public boolean truncated() {
    return value != null && value.length < originalSize;
  }
}
