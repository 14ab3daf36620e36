package io.fleetplane.placement.model;

/**
 * The resources placement accounts for. Adding a dimension is adding a constant here: every vector,
 * filter, index and report iterates over {@link #values()}.
 */
public enum Resource {
  CPU("cpu", "m"),
  MEMORY("memory", "MiB"),
  PODS("pods", "");

  /** The number of dimensions. */
  public static final int COUNT = values().length;

  private static final Resource[] ALL = values();

  private final String label;
  private final String unit;

  Resource(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  /** As kube-scheduler says it: "cpu", "memory", "pods". */
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
