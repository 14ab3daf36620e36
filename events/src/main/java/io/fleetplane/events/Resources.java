package io.fleetplane.events;

/**
 * An amount of the resources Fleetplane schedules: CPU in millicores, memory in MiB, pod slots. On
 * the wire: {@code {"cpuMillis":500,"memoryMiB":1024,"pods":3}}.
 */
public record Resources(long cpuMillis, long memoryMiB, long pods) {

  public static final Resources ZERO = new Resources(0, 0, 0);

  /**
   * Beyond these an amount is wrong, not large: 100,000 cores (100,000,000 millicores), 1 PiB
   * (1,073,741,824 MiB), 10 million pods. Every amount on the wire is refused above them.
   */
  public static final Resources MAX = new Resources(100_000_000L, 1L << 30, 10_000_000L);

  public Resources plus(Resources other) {
    return new Resources(
        cpuMillis + other.cpuMillis, memoryMiB + other.memoryMiB, pods + other.pods);
  }

  public Resources times(long factor) {
    return new Resources(cpuMillis * factor, memoryMiB * factor, pods * factor);
  }

  public boolean anyNegative() {
    return cpuMillis < 0 || memoryMiB < 0 || pods < 0;
  }
}
