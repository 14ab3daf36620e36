package io.fleetplane.events;

/**
 * A tenant's datastore. {@code databaseRef} is the external database kine stores into (a {@code
 * postgres://}, {@code mysql://} or {@code nats://} endpoint); it is present for {@link
 * DatastoreMode#KINE} and absent otherwise. It never carries a credential: {@code
 * credentialsSecret} names the Secret, in each host cluster's agent namespace, that holds the
 * database's password (keys {@code password} and, optionally, {@code username}).
 */
public record Datastore(DatastoreMode mode, String databaseRef, String credentialsSecret) {

  public Datastore(DatastoreMode mode, String databaseRef) {
    this(mode, databaseRef, null);
  }

  public static Datastore of(DatastoreMode mode) {
    return new Datastore(mode, null, null);
  }

  public static Datastore kine(String databaseRef) {
    return new Datastore(DatastoreMode.KINE, databaseRef, null);
  }

  public static Datastore kine(String databaseRef, String credentialsSecret) {
    return new Datastore(DatastoreMode.KINE, databaseRef, credentialsSecret);
  }
}
