package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code tail} follows and when it stops.
 *
 * @param tenant only this tenant's events; null for all
 * @param fromBeginning from the oldest event kept, rather than from now
 * @param limit how long to follow; null for until interrupted
 * @param until stop when {@code tenant} reaches one of these; empty to never stop for a type
 * @param count stop after this many events; null for no limit
 */
record TailOptions(
    String tenant,
    boolean fromBeginning,
    Duration limit,
    Set<TenantEvent.Type> until,
    Integer count) {

  private static final Map<String, Args.Kind> KNOWN =
      Map.of(
          "--tenant", Args.Kind.VALUE,
          "--from-beginning", Args.Kind.FLAG,
          "--for", Args.Kind.VALUE,
          "--until", Args.Kind.VALUE,
          "--count", Args.Kind.VALUE);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  TailOptions {
    until = Set.copyOf(until);
  }

  static TailOptions parse(List<String> tokens) {
    Args a = Args.parse("tail", tokens, KNOWN);
    a.noPositionalsAfter(0);
    String tenant = a.value("--tenant").orElse(null);
    Set<TenantEvent.Type> until = a.value("--until").map(v -> types(a, v)).orElse(Set.of());
    if (!until.isEmpty() && tenant == null) {
      throw a.bad("--until needs --tenant: it waits for one tenant to reach a type");
    }
    Integer count = a.integer("--count");
    if (count != null && count < 1) {
      throw a.bad("--count must be at least 1, got " + count);
    }
    Duration limit = a.value("--for").map(v -> duration(a, "--for", v)).orElse(null);
    return new TailOptions(tenant, a.flag("--from-beginning"), limit, until, count);
  }

  /** "500ms", "30s", "5m", "1h". */
  static Duration duration(Args a, String option, String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw a.bad(
          option + " must be a positive duration such as 500ms, 30s, 5m or 1h, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static Set<TenantEvent.Type> types(Args a, String list) {
    Set<TenantEvent.Type> types = EnumSet.noneOf(TenantEvent.Type.class);
    for (String name : list.split(",", -1)) {
      String upper = name.trim().toUpperCase(Locale.ROOT);
      try {
        types.add(TenantEvent.Type.valueOf(upper));
      } catch (IllegalArgumentException e) {
        throw a.bad(
            "--until: unknown event type '"
                + name.trim()
                + "': known types are "
                + Arrays.stream(TenantEvent.Type.values())
                    .map(Enum::name)
                    .collect(Collectors.joining(", ")));
      }
    }
    return types;
  }
}
