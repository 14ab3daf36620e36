package io.fleetplane.placement.model;

/**
 * The resources placement accounts for. Adding a dimension is adding a constant here: every vector,
 * filter, index and report iterates over {@link #values()}.
 */
public enum Resource {
  CPU("cpu", "m", 1000),
  MEMORY("memory", "MiB", 4096),
  PODS("pods", "", 100),
  /** Persistent-volume GiB for tenants' datastores. */
  STORAGE("storage", "Gi", 100);

  /** The number of dimensions. */
  public static final int COUNT = values().length;

  private static final Resource[] ALL = values();

  private final String label;
  private final String unit;
  private final long referenceUnit;

  Resource(String label, String unit, long referenceUnit) {
    this.label = label;
    this.unit = unit;
    this.referenceUnit = referenceUnit;
  }

  /**
   * How much of it weighs as one unit when resources are compared in a single number (see {@code
   * score.ReferenceUnits}): the shape of a typical node per core, 1 CPU : 4 GiB : 100 pods : 100
   * GiB of volumes.
   */
  public long referenceUnit() {
    return referenceUnit;
  }

  /** As kube-scheduler says it: "cpu", "memory", "pods", "storage". */
  public String label() {
    return label;
  }

  public String format(long amount) {
    return amount + unit;
  }

  public static Resource of(int ordinal) {
    return ALL[ordinal];
  }
}
