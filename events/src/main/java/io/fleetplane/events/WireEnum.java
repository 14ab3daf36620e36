package io.fleetplane.events;

/** An enum with a fixed spelling on the wire, independent of its Java constant name. */
public interface WireEnum {

  String wire();

  /** The constant spelled {@code wire}, or null if none is. */
  static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String wire) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(wire)) {
        return e;
      }
    }
    return null;
  }

  /** "a, b or c": the accepted spellings, for error messages. */
  static <E extends Enum<E> & WireEnum> String spellings(Class<E> type) {
    E[] all = type.getEnumConstants();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < all.length; i++) {
      if (i > 0) {
        sb.append(i == all.length - 1 ? " or " : ", ");
      }
      sb.append(all[i].wire());
    }
    return sb.toString();
  }
}
