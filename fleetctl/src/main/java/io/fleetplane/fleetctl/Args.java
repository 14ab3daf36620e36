package io.fleetplane.fleetctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command's arguments: its positionals and the options it knows, as {@code --name value} or
 * {@code --name=value}. Every mistake is a {@link BadInput} whose hint is the command's synopsis.
 */
final class Args {

  /** How an option takes values. */
  enum Kind {
    /** One value; giving it twice is a mistake. */
    VALUE,
    /** One value each time, any number of times. */
    REPEATED,
    /** No value. */
    FLAG
  }

  private final String command;
  private final List<String> positionals;
  private final Map<String, List<String>> options;

  private Args(String command, List<String> positionals, Map<String, List<String>> options) {
    this.command = command;
    this.positionals = positionals;
    this.options = options;
  }

  static Args parse(String command, List<String> tokens, Map<String, Kind> known) {
    List<String> positionals = new ArrayList<>();
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!token.startsWith("-") || token.equals("-")) {
        positionals.add(token);
        continue;
      }
      int eq = token.indexOf('=');
      String name = eq < 0 ? token : token.substring(0, eq);
      Kind kind = known.get(name);
      if (kind == null) {
        throw new BadInput("unknown option '" + name + "' for " + command, Usage.synopsis(command));
      }
      String value;
      if (kind == Kind.FLAG) {
        if (eq >= 0) {
          throw new BadInput(name + " takes no value", Usage.synopsis(command));
        }
        value = "";
      } else if (eq >= 0) {
        value = token.substring(eq + 1);
      } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
        value = tokens.get(++i);
      } else {
        throw new BadInput(name + " needs a value", Usage.synopsis(command));
      }
      List<String> values = options.computeIfAbsent(name, n -> new ArrayList<>());
      if (kind != Kind.REPEATED && !values.isEmpty()) {
        throw new BadInput(name + " is given twice", Usage.synopsis(command));
      }
      values.add(value);
    }
    return new Args(command, List.copyOf(positionals), options);
  }

  String command() {
    return command;
  }

  /** The one positional argument the command takes, e.g. the tenant id. */
  String single(String what) {
    if (positionals.isEmpty()) {
      throw bad(command + " needs " + what);
    }
    noPositionalsAfter(1);
    return positionals.get(0);
  }

  void noPositionalsAfter(int n) {
    if (positionals.size() > n) {
      throw bad("unexpected argument '" + positionals.get(n) + "'");
    }
  }

  Optional<String> value(String option) {
    List<String> v = options.get(option);
    return v == null ? Optional.empty() : Optional.of(v.get(0));
  }

  List<String> values(String option) {
    return options.getOrDefault(option, List.of());
  }

  boolean flag(String option) {
    return options.containsKey(option);
  }

  /** A whole number, or null when the option is absent; ranges are the validator's to check. */
  Integer integer(String option) {
    String v = value(option).orElse(null);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw bad(option + " must be a whole number, got '" + v + "'");
    }
  }

  BadInput bad(String message) {
    return new BadInput(message, Usage.synopsis(command));
  }
}
