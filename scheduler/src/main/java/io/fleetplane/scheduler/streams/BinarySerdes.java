package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.EventCodec;
import io.fleetplane.events.codec.TenantRequestCodec;
import io.fleetplane.scheduler.cell.DirectoryEntry;
import io.fleetplane.scheduler.cell.TenantRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary values for the two stores every request writes: the tenant directory and the
 * tenant records. Only the scheduler reads them, so they need no JSON: a format byte, then the
 * fields in order (strings as a length and UTF-8); a tenant's spec and events are kept as their own
 * event JSON, read back by the codecs of the events module. Values written by earlier versions as
 * JSON (first byte <code>{</code>) are still read.
 */
final class BinarySerdes {

  private BinarySerdes() {}

  /** The first byte of a binary value; JSON values start with '{'. */
  static final byte V1 = 1;

  /**
   * Directory entries since incarnations: no request ids in the entry. Tenant records since
   * storage: the number of amounts, then each, in {@link Dimension} order (a V1 record had three:
   * CPU, memory and pods; its storage reads as 0, what it committed).
   */
  static final byte V2 = 2;

  private static final TenantRequestCodec SPEC = TenantRequestCodec.trusting();

  static Serde<TenantRecord> tenantRecords() {
    return readingOldJson(TenantRecord.class, BinarySerdes::write, BinarySerdes::readTenantRecord);
  }

  static Serde<DirectoryEntry> directoryEntries() {
    return readingOldJson(
        DirectoryEntry.class, BinarySerdes::write, BinarySerdes::readDirectoryEntry);
  }

  /** Writes binary; reads binary, or JSON written by an earlier version (it starts with '{'). */
  private static <T> Serde<T> readingOldJson(
      Class<T> type, Function<T, byte[]> write, Function<byte[], T> read) {
    Serde<T> legacy = JsonSerde.of(type);
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : write.apply(value),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          return bytes.length > 0 && bytes[0] == '{'
              ? legacy.deserializer().deserialize(topic, bytes)
              : read.apply(bytes);
        });
  }

  static byte[] write(TenantRecord r) {
    Out out = new Out(320 + 200 * r.events().size());
    out.put(V2);
    out.string(r.tenantId());
    out.bytes(spec(r));
    out.put((byte) r.status().ordinal());
    out.string(r.clusterId());
    out.putLong(r.generation());
    out.putLong(r.seq());
    out.put((byte) Dimension.COUNT);
    for (Dimension d : Dimension.values()) {
      out.putLong(r.resources().get(d));
    }
    out.string(r.requestId());
    out.putInt(r.events().size());
    for (TenantEvent e : r.events()) {
      out.bytes(Codecs.TENANT_EVENT.encode(e));
    }
    return out.toByteArray();
  }

  /** The spec's own bytes when the record has them (as accepted, or as read), else encoded. */
  private static byte[] spec(TenantRecord r) {
    return r.specJson() != null ? r.specJson() : SPEC.encode(r.spec());
  }

  static TenantRecord readTenantRecord(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte v = in.get();
      if (v != V1 && v != V2) {
        throw new IllegalArgumentException(
            "tenant record in an unknown format " + v + "; this version reads 1 and 2");
      }
      String tenantId = string(in);
      byte[] specJson = bytes(in);
      TenantRequest spec = decode(SPEC, specJson);
      TenantRecord.Status status = TenantRecord.Status.values()[in.get()];
      String clusterId = string(in);
      long generation = in.getLong();
      long seq = in.getLong();
      Resources resources = amounts(in, v == V1 ? 3 : in.get());
      String requestId = string(in);
      int n = in.getInt();
      List<TenantEvent> events = new ArrayList<>(Math.min(n, TenantRecord.EVENTS_KEPT));
      for (int i = 0; i < n; i++) {
        events.add(decode(Codecs.TENANT_EVENT, bytes(in)));
      }
      return new TenantRecord(
          tenantId,
          spec,
          status,
          clusterId,
          generation,
          seq,
          resources,
          requestId,
          events,
          specJson);
    } catch (RuntimeException e) {
      throw corrupt("tenant record", e);
    }
  }

  /**
   * A directory entry: {@link #V2}, the cell, live, the incarnation. (An earlier version wrote
   * {@link #V1}: the cell, live, and up to 32 request ids, read as {@link
   * DirectoryEntry#legacyRequestIds}.)
   */
  static byte[] write(DirectoryEntry e) {
    if (!e.legacyRequestIds().isEmpty()) {
      throw new IllegalArgumentException("legacy request ids are moved out before writing");
    }
    Out out = new Out(48);
    out.put(V2);
    out.string(e.cell());
    out.put((byte) (e.live() ? 1 : 0));
    out.string(e.incarnation());
    return out.toByteArray();
  }

  static DirectoryEntry readDirectoryEntry(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte v = in.get();
      if (v != V1 && v != V2) {
        throw new IllegalArgumentException(
            "directory entry in an unknown format " + v + "; this version reads 1 and 2");
      }
      String cell = string(in);
      boolean live = in.get() != 0;
      if (v == V2) {
        return DirectoryEntry.of(cell, live, string(in));
      }
      int n = in.getInt();
      List<String> ids = new ArrayList<>(Math.min(n, 32));
      for (int i = 0; i < n; i++) {
        ids.add(string(in));
      }
      return new DirectoryEntry(cell, live, null, ids);
    } catch (RuntimeException e) {
      throw corrupt("directory entry", e);
    }
  }

  /**
   * {@code n} amounts in {@link Dimension} order. Fewer than this version knows: those written
   * before a dimension existed, which committed none of it. More: written by a later version, whose
   * record this one cannot hold.
   */
  private static Resources amounts(ByteBuffer in, int n) {
    if (n < 0 || n > Dimension.COUNT) {
      throw new IllegalArgumentException(
          n + " amounts; this version knows " + Dimension.COUNT + " dimensions");
    }
    long[] a = new long[Dimension.COUNT];
    for (int i = 0; i < n; i++) {
      a[i] = in.getLong();
    }
    return Resources.of(a);
  }

  /** A string: its UTF-8 length, or -1 for null, then the bytes. */
  private static String string(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    String s = new String(in.array(), in.position(), checked(in, n), StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static byte[] bytes(ByteBuffer in) {
    int n = in.getInt();
    byte[] b = new byte[checked(in, n)];
    in.get(b);
    return b;
  }

  private static int checked(ByteBuffer in, int n) {
    if (n < 0 || n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return n;
  }

  /** Our own values, written by the code above: a failure is corruption or a bug, not input. */
  private static <T> T decode(EventCodec<T, ?> codec, byte[] json) {
    return codec.decode(json).orElseThrow(); // a failure names its problems in its message
  }

  private static IllegalStateException corrupt(String what, RuntimeException cause) {
    return new IllegalStateException("corrupt " + what + " in a state store: " + cause, cause);
  }

  /** A growing big-endian buffer: what DataOutputStream does, without a lock per byte. */
  private static final class Out {
    private byte[] buf;
    private int n;

    Out(int size) {
      buf = new byte[size];
    }

    private void room(int more) {
      if (n + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }

    void put(byte b) {
      room(1);
      buf[n++] = b;
    }

    void putInt(int v) {
      room(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[n++] = (byte) (v >>> shift);
      }
    }

    void putLong(long v) {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[n++] = (byte) (v >>> shift);
      }
    }

    void bytes(byte[] b) {
      putInt(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
    }

    void string(String s) {
      if (s == null) {
        putInt(-1);
      } else {
        bytes(s.getBytes(StandardCharsets.UTF_8));
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, n);
    }
  }
}
