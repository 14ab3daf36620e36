package io.fleetplane.events.codec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 date-times with an offset: {@code 2026-11-24T10:15:30Z}, or with {@code +hh:mm} /
 * {@code -hh:mm} instead of {@code Z}, which is normalised to UTC ({@code
 * 2026-11-24T12:15:30+02:00} is {@code 2026-11-24T10:15:30Z}); seconds and a fraction of up to nine
 * digits are optional, the year has four digits. A time without an offset is refused: it names no
 * instant. The same on every JDK (the JDK's own {@code Instant.parse} accepts offsets only since
 * 12, and other forms too). The form our encoders write is read by hand, because a formatter costs
 * more than the rest of a request's decoding.
 */
final class Instants {

  private Instants() {}

  /** What a time must look like, for messages. */
  static final String EXPECTED =
      "must be an ISO-8601 time with an offset, such as 2026-11-24T10:15:30Z or"
          + " 2026-11-24T11:15:30+01:00";

  private static final java.util.regex.Pattern FORM =
      java.util.regex.Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})");

  static Instant parse(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return general(s);
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
        return general(s);
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return general(s);
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
      return general(s); // let the formatter phrase the refusal
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      return general(s);
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** Any offset, normalised to UTC; the fast path above is only the common case of this. */
  private static Instant general(String s) {
    if (!FORM.matcher(s).matches()) {
      throw new DateTimeParseException("not an ISO-8601 time with an offset", s, 0);
    }
    return java.time.OffsetDateTime.parse(
            s, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        .toInstant();
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
