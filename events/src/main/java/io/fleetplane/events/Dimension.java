package io.fleetplane.events;

/**
 * The resources Fleetplane schedules, by name: every layer (codecs, ledger, metrics, dashboard,
 * configuration) iterates these, as kube-scheduler iterates its resource list. Adding one is adding
 * a constant here and one in {@code io.fleetplane.placement.model.Resource}, in the same order.
 */
public enum Dimension {
  CPU("cpuMillis", "cpu", "cpu-millis", "millicores", 100_000_000L, true),
  MEMORY("memoryMiB", "memory", "memory-mib", "MiB", 1L << 30, true),
  PODS("pods", "pods", "pods", "pod slots", 10_000_000L, true),
  /**
   * Persistent-volume GiB a host gives its tenants' datastores. Optional on the wire (it came after
   * version 1 was fixed): a value without it reads as 0, and a host that reports none is not
   * limited in it.
   */
  STORAGE("storageGiB", "storage", "storage-gib", "GiB", 1L << 20, false);

  private static final Dimension[] ALL = values();

  /** How many there are. */
  public static final int COUNT = ALL.length;

  private final String wire;
  private final String label;
  private final String configName;
  private final String unit;
  private final long max;
  private final boolean required;

  Dimension(String wire, String label, String configName, String unit, long max, boolean required) {
    this.wire = wire;
    this.label = label;
    this.configName = configName;
    this.unit = unit;
    this.max = max;
    this.required = required;
  }

  /** Its field in JSON: {@code cpuMillis}, {@code memoryMiB}, {@code pods}, {@code storageGiB}. */
  public String wire() {
    return wire;
  }

  /** As kube-scheduler and the metrics say it: cpu, memory, pods, storage. */
  public String label() {
    return label;
  }

  /** Its key in configuration maps: {@code cpu-millis}, {@code memory-mib}, ... */
  public String configName() {
    return configName;
  }

  /** Its unit, for a person. */
  public String unit() {
    return unit;
  }

  /** Beyond this an amount is wrong, not large (100,000 cores, 1 PiB of memory or storage). */
  public long max() {
    return max;
  }

  /** Whether every value must carry it (the three of version 1 as first written). */
  public boolean required() {
    return required;
  }

  public static Dimension of(int ordinal) {
    return ALL[ordinal];
  }
}
