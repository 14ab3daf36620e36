package io.fleetplane.events;

/**
 * A tenant's datastore. {@code databaseRef} is the external database kine stores into (a {@code
 * postgres://}, {@code mysql://} or {@code nats://} endpoint); it is present for {@link
 * DatastoreMode#KINE} and absent otherwise.
 */
public record Datastore(DatastoreMode mode, String databaseRef) {

  public static Datastore of(DatastoreMode mode) {
    return new Datastore(mode, null);
  }

  public static Datastore kine(String databaseRef) {
    return new Datastore(DatastoreMode.KINE, databaseRef);
  }
}
