package io.fleetplane.events.codec;

import io.fleetplane.events.Problem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of decoding bytes: the event, or a typed failure that lists every problem found.
 * Decoders return this and never throw on bad input.
 */
public sealed interface Decoded<T> {

  static <T> Decoded<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Decoded<T> failure(FailureKind kind, List<Problem> problems) {
    return new Failure<>(kind, problems);
  }

  static <T> Decoded<T> failure(FailureKind kind, String field, String message) {
    return new Failure<>(kind, List.of(new Problem(field, message)));
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value, or a {@link DecodeException} naming every problem. */
  T orElseThrow();

  /** A decoded event. */
  record Ok<T>(T value) implements Decoded<T> {
    @Override
    public T orElseThrow() {
      return value;
    }
  }

  /**
   * A value that is not a valid event, and every reason why.
   *
   * @param identity the ids the value names that could be read and are valid themselves, by field
   *     ({@code tenantId}, {@code requestId}), so that a refusal can still be addressed to its
   *     tenant and matched to its request; empty if none could
   */
  record Failure<T>(FailureKind kind, List<Problem> problems, Map<String, String> identity)
      implements Decoded<T> {

    public Failure {
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("a failure needs at least one problem");
      }
      problems = List.copyOf(problems);
      identity = Map.copyOf(identity);
    }

    public Failure(FailureKind kind, List<Problem> problems) {
      this(kind, problems, Map.of());
    }

    /** One id of {@link #identity}, or null. */
    public String id(String field) {
      return identity.get(field);
    }

    /** The same failure, naming these ids. */
    public Failure<T> withIdentity(Map<String, String> ids) {
      return new Failure<>(kind, problems, ids);
    }

    /** One line for a person: "invalid fields: tenantId: ...; plan: ...". */
    public String reason() {
      return kind.description()
          + ": "
          + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    @Override
    public T orElseThrow() {
      throw new DecodeException(this);
    }

    /** The same failure, typed for another event. */
    @SuppressWarnings("unchecked")
    public <U> Failure<U> cast() {
      return (Failure<U>) this;
    }
  }
}
