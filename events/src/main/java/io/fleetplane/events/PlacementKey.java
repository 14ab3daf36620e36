package io.fleetplane.events;

/**
 * The key of {@code fleet.placements}: {@code clusterId/tenantId}. Neither id may contain a slash
 * (both are DNS-1123 labels), so the first slash splits the key.
 */
public final class PlacementKey {

  private PlacementKey() {}

  public static final char SEPARATOR = '/';

  public static String of(String clusterId, String tenantId) {
    return clusterId + SEPARATOR + tenantId;
  }

  /** The cluster id: everything before the first slash, or the whole key if it has none. */
  public static String clusterIdOf(String key) {
    int slash = key.indexOf(SEPARATOR);
    return slash < 0 ? key : key.substring(0, slash);
  }

  /** The tenant id: everything after the first slash, or null if the key has none. */
  public static String tenantIdOf(String key) {
    int slash = key.indexOf(SEPARATOR);
    return slash < 0 ? null : key.substring(slash + 1);
  }

  /** The key prefix an agent filters its partition by. */
  public static String prefixOf(String clusterId) {
    return clusterId + SEPARATOR;
  }
}
