package io.fleetplane.events;

/**
 * Size limits. A value over its limit is refused before a byte of it is parsed; the topics are
 * created with the same {@code max.message.bytes}.
 */
public final class Limits {

  private Limits() {}

  public static final int TENANT_REQUEST_BYTES = 64 * 1024;
  public static final int PLACEMENT_BYTES = 64 * 1024;
  public static final int TENANT_EVENT_BYTES = 256 * 1024;
  public static final int HOST_REPORT_BYTES = 1024 * 1024;
  public static final int HOST_COMMAND_BYTES = 16 * 1024;

  /** A dead letter keeps at most 64 KiB of the original; base64 makes that 88 KiB. */
  public static final int DEAD_LETTER_BYTES = 256 * 1024;

  /** Deepest nesting of JSON objects and arrays any event needs is 3; more is refused. */
  public static final int MAX_NESTING_DEPTH = 16;

  /**
   * Longest JSON field name: a label key is up to 317 characters (253 prefix, '/', 63), and a
   * refusal reason used as a key ("missing label KEY=VALUE") up to ~400.
   */
  public static final int MAX_NAME_CHARS = 1024;

  /** Longest JSON string accepted (a label value is at most 63, a database URL ~ 1 KiB). */
  public static final int MAX_STRING_CHARS = 8 * 1024;
}
