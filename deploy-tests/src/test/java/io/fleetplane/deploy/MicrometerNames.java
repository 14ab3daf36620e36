package io.fleetplane.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series the code exposes, derived from its Java sources: every Micrometer meter
 * named by a string literal, either through a builder ({@code Counter.builder("fleet.decisions")})
 * or a registry shortcut ({@code registry.counter("fleet.rejections", ...)}), renamed as
 * Micrometer's Prometheus registry does: dots become underscores, counters end in {@code _total},
 * timers are in seconds and give {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max}
 * (and {@code _seconds_bucket} when the builder publishes a histogram), distribution summaries give
 * {@code _count}, {@code _sum}, {@code _max} (and {@code _bucket}), gauges keep their name.
 *
 * <p>A meter named by anything but a literal cannot be read this way: {@link #of} then fails, so
 * that the list never silently misses a metric.
 */
final class MicrometerNames {

  private MicrometerNames() {}

  private static final Pattern BUILDER =
      Pattern.compile(
          "\\b(Counter|FunctionCounter|Timer|Gauge|DistributionSummary)\\.builder\\(\\s*(\"([^\"]*)\")?");
  private static final Pattern SHORTCUT =
      Pattern.compile(
          "\\b(?:registry|meterRegistry|metrics)\\s*\\.\\s*(counter|timer|gauge|summary)\\(\\s*(\"([^\"]*)\")?");

  /** A meter found in the sources. */
  record Meter(String type, String name, boolean histogram, String where) {}

  /** Every meter named in the Java sources under {@code roots}. */
  static List<Meter> meters(List<Path> roots) {
    List<Meter> meters = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("no sources at " + root);
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          String src = Files.readString(f);
          scan(src, BUILDER, f, meters);
          scan(src, SHORTCUT, f, meters);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return meters;
  }

  private static void scan(String src, Pattern p, Path file, List<Meter> out) {
    Matcher m = p.matcher(src);
    while (m.find()) {
      String where =
          file.getFileName() + ":" + (src.substring(0, m.start()).split("\n", -1).length);
      if (m.group(3) == null) {
        throw new IllegalStateException(
            where
                + ": a meter named by something other than a string literal; name it with a"
                + " literal or teach MicrometerNames to read it");
      }
      String type =
          switch (m.group(1)) {
            case "Counter", "FunctionCounter", "counter" -> "counter";
            case "Timer", "timer" -> "timer";
            case "DistributionSummary", "summary" -> "summary";
            default -> "gauge";
          };
      int end = src.indexOf(".register(", m.end());
      String chain = end < 0 ? "" : src.substring(m.end(), end);
      boolean histogram =
          chain.contains(".publishPercentileHistogram()")
              || chain.contains(".publishPercentileHistogram(true)")
              || chain.contains(".serviceLevelObjectives(");
      out.add(new Meter(type, m.group(3), histogram, where));
    }
  }

  /** The Prometheus series names of the meters in the Java sources under {@code roots}. */
  static Set<String> of(List<Path> roots) {
    Set<String> names = new TreeSet<>();
    for (Meter m : meters(roots)) {
      String base = m.name().replace('.', '_').replace('-', '_');
      switch (m.type()) {
        case "counter" -> names.add(base.endsWith("_total") ? base : base + "_total");
        case "timer" -> {
          String s = base + "_seconds";
          names.addAll(List.of(s + "_count", s + "_sum", s + "_max"));
          if (m.histogram()) {
            names.add(s + "_bucket");
          }
        }
        case "summary" -> {
          names.addAll(List.of(base + "_count", base + "_sum", base + "_max"));
          if (m.histogram()) {
            names.add(base + "_bucket");
          }
        }
        default -> names.add(base);
      }
    }
    return names;
  }
}
