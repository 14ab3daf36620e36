package io.fleetplane.events.codec;

import java.util.Locale;

/** Numbers in messages, as a person reads them: 100,000,000 rather than 100000000. */
final class Numbers {

  private Numbers() {}

  static String readable(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  static String outOfRange(long min, long max, String got) {
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return "must fit in 64 bits, got " + got;
    }
    return "must be between " + readable(min) + " and " + readable(max) + ", got " + got;
  }
}
