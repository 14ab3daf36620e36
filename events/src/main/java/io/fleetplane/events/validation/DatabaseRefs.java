package io.fleetplane.events.validation;

import io.fleetplane.events.Names;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The rule that keeps credentials out of a kine {@code databaseRef}: events are stored in Kafka,
 * readable by everyone who may read the topic, for as long as it keeps them. A reference may name a
 * user ({@code postgres://kine@db:5432/acme}) but carry no secret:
 *
 * <ul>
 *   <li>no password in the authority: nothing between {@code ://} and the last {@code @} before the
 *       path may contain {@code :}, written plainly or percent-encoded ({@code %3A});
 *   <li>no query parameter whose name, percent-decoded, lower-cased and without {@code -}, {@code
 *       _} and {@code .}, contains {@code pass}, {@code pwd}, {@code secret}, {@code token}, {@code
 *       key}, {@code credential} or {@code auth} ({@code password}, {@code sslpassword}, {@code
 *       sslkey}, {@code apiKey}, {@code access_token}, ...), unless its value is a flag ({@code
 *       true}, {@code false}, {@code 0}, {@code 1}) and so can hold no secret.
 * </ul>
 *
 * Refusals name the rule and the parameter, never the value.
 */
public final class DatabaseRefs {

  private DatabaseRefs() {}

  static final List<String> SECRET_WORDS =
      List.of("pass", "pwd", "secret", "token", "key", "credential", "auth");

  private static final String WHY =
      ": events are stored in Kafka, so a credential never travels in one; name a Secret in"
          + " datastore.credentialsSecret instead (see events/README.md)";

  /** Null if {@code ref} carries no credential, else why it is refused. */
  public static String problemWithCredential(String ref) {
    int scheme = ref.indexOf("://");
    String rest = scheme < 0 ? ref : ref.substring(scheme + 3);
    int queryAt = indexOfAny(rest, '?', '#');
    String beforeQuery = queryAt < 0 ? rest : rest.substring(0, queryAt);
    int at = beforeQuery.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = beforeQuery.substring(0, at);
      if (userInfo.indexOf(':') >= 0 || userInfo.toLowerCase(Locale.ROOT).contains("%3a")) {
        return "must not carry a password (user:password@)" + WHY;
      }
    }
    // Parameters: the query's name=value pairs, and any in the path (";password=x", as JDBC
    // URLs write them), split on ? & ; and #.
    int path = indexOfAny(rest, '/', ';');
    String params =
        queryAt >= 0 && (path < 0 || queryAt < path)
            ? rest.substring(queryAt)
            : path < 0 ? "" : rest.substring(path);
    for (String pair : params.split("[?&;#]")) {
      int eq = pair.indexOf('=');
      if (eq < 0 && !params.contains("?" + pair) && !params.contains("&" + pair)) {
        continue; // a path segment, not a parameter
      }
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      String bare = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
      if (bare.isEmpty() || isFlag(value)) {
        continue;
      }
      for (String word : SECRET_WORDS) {
        if (bare.contains(word)) {
          return "must not carry the parameter '"
              + Names.clip(name)
              + "', which holds a secret"
              + WHY;
        }
      }
    }
    return null;
  }

  private static boolean isFlag(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "false", "0", "1" -> true;
      default -> false;
    };
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a broken escape: match on the text as it is
    }
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
