package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantEvent;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetctl tail}: prints tenant events, one line each, until told to stop. */
@Command(
    name = "tail",
    description =
        "Print tenant events, one line each: time, tenant, type, source, cluster (or -), reason.",
    sortOptions = false,
    sortSynopsis = false)
final class TailCommand extends Subcommand {

  @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's events.")
  String tenant;

  @Option(
      names = "--from-beginning",
      description = "From the oldest event kept, rather than from now.")
  boolean fromBeginning;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "Stop after this long: 500ms, 30s, 5m, 1h.")
  String forDuration;

  @Option(
      names = "--until",
      paramLabel = "TYPE[,TYPE]",
      description =
          "With --tenant: stop when the tenant reaches one of these (e.g. READY,FAILED); exit 1"
              + " if --for runs out first.")
  String until;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  String count;

  @Override
  int run() {
    return Tail.run(options(), root.bootstrap(), root.out, root.err);
  }

  TailOptions options() {
    Set<TenantEvent.Type> types = until == null ? Set.of() : types(until);
    if (!types.isEmpty() && tenant == null) {
      throw bad("--until needs --tenant: it waits for one tenant to reach a type");
    }
    Integer n = integer("--count", count);
    if (n != null && n < 1) {
      throw bad("--count must be at least 1, got " + n);
    }
    return new TailOptions(tenant, fromBeginning, duration("--for", forDuration), types, n);
  }

  /** The options of a {@code tail} command line (for tests). */
  static TailOptions parse(List<String> args) {
    TailCommand c = new TailCommand();
    new CommandLine(c).parseArgs(args.toArray(String[]::new));
    return c.options();
  }

  private static Set<TenantEvent.Type> types(String list) {
    Set<TenantEvent.Type> types = EnumSet.noneOf(TenantEvent.Type.class);
    for (String name : list.split(",", -1)) {
      String upper = name.trim().toUpperCase(Locale.ROOT);
      try {
        types.add(TenantEvent.Type.valueOf(upper));
      } catch (IllegalArgumentException e) {
        throw bad(
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
