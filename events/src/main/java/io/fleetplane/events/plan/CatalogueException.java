package io.fleetplane.events.plan;

import java.util.List;

/** A plan catalogue that cannot be used, with every problem found in it. */
public final class CatalogueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public CatalogueException(String source, List<String> problems) {
    super("plan catalogue " + source + " is not valid:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
