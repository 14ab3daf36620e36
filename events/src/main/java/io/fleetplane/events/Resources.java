package io.fleetplane.events;

/**
 * An amount of the resources Fleetplane schedules: CPU in millicores, memory in MiB, pod slots. On
 * the wire: {@code {"cpuMillis":500,"memoryMiB":1024,"pods":3}}.
 */
public record Resources(long cpuMillis, long memoryMiB, long pods) {

  public static final Resources ZERO = new Resources(0, 0, 0);

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
