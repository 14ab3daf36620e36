package io.fleetplane.fleetctl;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * What every fleetctl command shares: the root's settings (read before the command's own work),
 * {@code --help}, and the readings of values that fleetctl's messages name.
 */
abstract class Subcommand implements Callable<Integer> {

  @ParentCommand Fleetctl root;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this command's options and exit.")
  boolean help;

  @Override
  public final Integer call() throws Exception {
    root.prepare();
    return run();
  }

  abstract int run() throws Exception;

  /** A mistake on this command's line: exit 2, with the command's synopsis as the hint. */
  static BadInput bad(String message) {
    return new BadInput(message, null);
  }

  /** A whole number, or null when the option is absent; ranges are the caller's to check. */
  static Integer integer(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw bad(option + " must be a whole number, got '" + value + "'");
    }
  }

  /** A whole number of at least 1, or {@code otherwise} when the option is absent. */
  static int positive(String option, String value, int otherwise) {
    Integer v = integer(option, value);
    if (v == null) {
      return otherwise;
    }
    if (v < 1) {
      throw bad(option + " must be at least 1, got " + v);
    }
    return v;
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  /** "500ms", "30s", "5m", "1h"; null when the option is absent. */
  static Duration duration(String option, String value) {
    if (value == null) {
      return null;
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw bad(
          option
              + " must be a positive duration such as 500ms, 30s, 5m or 1h, got '"
              + value
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
