package io.fleetplane.fleetctl;

/**
 * A command line that cannot be carried out: what is wrong, and a hint for the next try (null: the
 * command's synopsis). Exit code 2. Carries no stack trace, as none is ever printed.
 */
final class BadInput extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String hint;

  BadInput(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  String hint() {
    return hint;
  }
}
