package io.fleetplane.scheduler.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What this instance decided lately, for the dashboard: placements per second over the last {@link
 * #SECONDS} seconds, sampled once a second from the decision counters, and rejections by reason
 * since the start. Other instances answer theirs through {@code /api/internal/activity}.
 */
@Startup
@ApplicationScoped
public class Activity {

  /** Five minutes of one-second samples. */
  public static final int SECONDS = 300;

  /**
   * Placements per second (PLACED and MOVED decisions) ending at {@code until}, oldest first, one
   * value per second; and rejections by reason.
   */
  public record Snapshot(Instant until, List<Long> placedPerSecond, Map<String, Long> rejections) {}

  private final MeterRegistry registry;
  private final long[] ring = new long[SECONDS];
  private long lastEpochSecond;
  private double lastTotal = -1;
  private ScheduledExecutorService timer;

  public Activity(MeterRegistry registry) {
    this.registry = registry;
  }

  @PostConstruct
  void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-activity");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /** Called once a second: the decisions counted since the last call go to this second. */
  synchronized void sample() {
    double total = placedTotal();
    long now = Instant.now().getEpochSecond();
    if (lastTotal >= 0) {
      for (long s = lastEpochSecond + 1; s <= now && s - lastEpochSecond <= SECONDS; s++) {
        ring[(int) (s % SECONDS)] = 0; // seconds skipped by a late timer count nothing
      }
      ring[(int) (now % SECONDS)] += Math.round(total - lastTotal);
    }
    lastTotal = total;
    lastEpochSecond = now;
  }

  public synchronized Snapshot snapshot() {
    List<Long> series = new ArrayList<>(SECONDS);
    long until = lastEpochSecond;
    for (long s = until - SECONDS + 1; s <= until; s++) {
      series.add(ring[(int) (Math.floorMod(s, SECONDS))]);
    }
    return new Snapshot(Instant.ofEpochSecond(until), series, rejections());
  }

  private double placedTotal() {
    double sum = 0;
    for (Counter c : registry.find("fleet.decisions").counters()) {
      String type = c.getId().getTag("type");
      if ("PLACED".equals(type) || "MOVED".equals(type)) {
        sum += c.count();
      }
    }
    return sum;
  }

  private Map<String, Long> rejections() {
    Map<String, Long> out = new TreeMap<>();
    for (Counter c : registry.find("fleet.rejections").counters()) {
      out.merge(c.getId().getTag("reason"), Math.round(c.count()), Long::sum);
    }
    return out;
  }

  /** The snapshots of several instances as one: series summed second by second. */
  public static Snapshot merge(List<Snapshot> all) {
    if (all.isEmpty()) {
      return new Snapshot(Instant.now(), java.util.Collections.nCopies(SECONDS, 0L), Map.of());
    }
    Instant until = all.stream().map(Snapshot::until).max(Instant::compareTo).orElseThrow();
    long[] sum = new long[SECONDS];
    Map<String, Long> rejections = new TreeMap<>();
    for (Snapshot s : all) {
      long shift = until.getEpochSecond() - s.until().getEpochSecond();
      List<Long> series = s.placedPerSecond();
      for (int i = 0; i < series.size(); i++) {
        long at = i - shift;
        if (at >= 0 && at < SECONDS) {
          sum[(int) at] += series.get(i);
        }
      }
      s.rejections().forEach((k, v) -> rejections.merge(k, v, Long::sum));
    }
    List<Long> series = new ArrayList<>(SECONDS);
    for (long v : sum) {
      series.add(v);
    }
    return new Snapshot(until, series, rejections);
  }
}
