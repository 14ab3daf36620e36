package io.fleetplane.events.codec;

/**
 * Thrown only where a caller asked for a value outright ({@link Decoded#orElseThrow()}, or the
 * plain {@link EventCodec#serde()} on a trusted topic); decoders themselves never throw.
 */
public final class DecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Decoded.Failure<?> failure;

  public DecodeException(Decoded.Failure<?> failure) {
    super(failure.reason());
    this.failure = failure;
  }

  public Decoded.Failure<?> failure() {
    return failure;
  }
}
