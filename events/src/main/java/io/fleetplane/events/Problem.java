package io.fleetplane.events;

/**
 * One thing wrong with an event, for a person to read: {@code field} names where (a JSON path such
 * as {@code datastore.databaseRef}, or empty for the whole value).
 */
public record Problem(String field, String message) {

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
