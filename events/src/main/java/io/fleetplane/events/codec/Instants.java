package io.fleetplane.events.codec;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses ISO-8601 UTC instants. The form our encoders write ({@code 2026-11-24T10:15:30Z},
 * optionally with a fraction) is read by hand, because {@link Instant#parse} costs more than the
 * rest of a request's decoding; anything else goes to {@link Instant#parse}, which accepts or
 * refuses it.
 */
final class Instants {

  private Instants() {}

  static Instant parse(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return Instant.parse(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      // ".f" to ".fffffffff" before the Z
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9) {
        return Instant.parse(s);
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return Instant.parse(s);
      }
      nanos = fraction;
      for (int i = n - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    if ((year | month | day | hour | minute | second) < 0
        || hour > 23
        || minute > 59
        || second > 59
        || month < 1
        || month > 12
        || day < 1
        || day > 31) {
      return Instant.parse(s); // let the JDK phrase the refusal
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      return Instant.parse(s);
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in s[from, to), or -1 if a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
