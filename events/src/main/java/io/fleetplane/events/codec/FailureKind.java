package io.fleetplane.events.codec;

/** Why a value could not be decoded, coarsely: the label of rejection metrics. */
public enum FailureKind {
  /** No bytes at all. */
  EMPTY("empty value"),
  /** Over the size limit: refused before parsing. */
  TOO_LARGE("value too large"),
  /** A byte-order mark, UTF-16 or UTF-32, or bytes that are not UTF-8. */
  NOT_UTF8("not UTF-8"),
  /**
   * Not JSON, truncated JSON, JSON over a limit (string, number, name, nesting), or an object with
   * a field twice.
   */
  MALFORMED_JSON("malformed JSON"),
  /** JSON, but not an object. */
  NOT_AN_OBJECT("not a JSON object"),
  /** A {@code "v"} this decoder does not read. */
  UNSUPPORTED_VERSION("unsupported schema version"),
  /** A JSON object whose fields are missing, of the wrong type, or out of range. */
  INVALID("invalid fields");

  private final String description;

  FailureKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
