package io.fleetplane.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: enough of a lexer for dashboards. It drops string
 * literals, label matchers ({@code {...}}), range and subquery brackets ({@code [...]}), Grafana
 * variables ({@code $var}, {@code ${var}}, {@code [[var]]}), durations such as {@code 5m}, the
 * label lists of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right}, and numbers; of the identifiers left, those followed by {@code (} are
 * functions or aggregations, a few are keywords, and the rest are metric names.
 */
final class PromQl {

  private PromQl() {}

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "and",
          "or",
          "unless",
          "atan2",
          "inf",
          "nan");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

  static Set<String> metricNames(String expr) {
    String s = expr;
    s = s.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", " ");
    s = s.replaceAll("'(?:\\\\.|[^'\\\\])*'", " ");
    s = s.replaceAll("`[^`]*`", " ");
    s = s.replaceAll("\\[\\[[^\\]]*\\]\\]", " ");
    s = s.replaceAll("\\$\\{[^}]*\\}", " ");
    s = s.replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", " ");
    s = s.replaceAll("\\{[^}]*\\}", " ");
    s = s.replaceAll("\\[[^\\]]*\\]", " ");
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    s = s.replaceAll("(?<![A-Za-z_:])[0-9]+(?:ms|[smhdwy])\\b", " ");
    s = s.replaceAll("(?<![A-Za-z_:])[0-9][0-9.eE+-]*", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String id = m.group();
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean call = next < s.length() && s.charAt(next) == '(';
      if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }
}
