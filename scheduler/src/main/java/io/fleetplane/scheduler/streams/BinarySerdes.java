package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.EventCodec;
import io.fleetplane.events.codec.TenantRequestCodec;
import io.fleetplane.scheduler.cell.TenantRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary values for the two stores every request writes: the tenant directory and the
 * tenant records. Only the scheduler reads them, so they need no JSON: a version byte, then the
 * fields in order; a tenant's spec and events are kept as their own event JSON, read back by the
 * codecs of the events module. Values written by earlier versions as JSON (first byte <code>{
 * </code>) are still read.
 */
final class BinarySerdes {

  private BinarySerdes() {}

  /** The first byte of a binary value; JSON values start with '{'. */
  static final byte V1 = 1;

  private static final TenantRequestCodec SPEC = TenantRequestCodec.trusting();

  static Serde<TenantRecord> tenantRecords() {
    Serde<TenantRecord> legacy = JsonSerde.of(TenantRecord.class);
    return Serdes.serdeFrom(
        (topic, r) -> r == null ? null : write(r),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          return bytes.length > 0 && bytes[0] == '{'
              ? legacy.deserializer().deserialize(topic, bytes)
              : readTenantRecord(bytes);
        });
  }

  static Serde<DirectoryEntry> directoryEntries() {
    Serde<DirectoryEntry> legacy = JsonSerde.of(DirectoryEntry.class);
    return Serdes.serdeFrom(
        (topic, e) -> e == null ? null : write(e),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          return bytes.length > 0 && bytes[0] == '{'
              ? legacy.deserializer().deserialize(topic, bytes)
              : readDirectoryEntry(bytes);
        });
  }

  static byte[] write(TenantRecord r) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 + 160 * r.events().size());
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(V1);
      out.writeUTF(r.tenantId());
      bytes(out, SPEC.encode(r.spec()));
      out.writeByte(r.status().ordinal());
      nullable(out, r.clusterId());
      out.writeLong(r.generation());
      out.writeLong(r.seq());
      out.writeLong(r.resources().cpuMillis());
      out.writeLong(r.resources().memoryMiB());
      out.writeLong(r.resources().pods());
      nullable(out, r.requestId());
      out.writeShort(r.events().size());
      for (TenantEvent e : r.events()) {
        bytes(out, Codecs.TENANT_EVENT.encode(e));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return buffer.toByteArray();
  }

  static TenantRecord readTenantRecord(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      version(in, "tenant record");
      String tenantId = in.readUTF();
      TenantRequest spec = decode(SPEC, bytes(in));
      TenantRecord.Status status = TenantRecord.Status.values()[in.readUnsignedByte()];
      String clusterId = nullable(in);
      long generation = in.readLong();
      long seq = in.readLong();
      Resources resources = new Resources(in.readLong(), in.readLong(), in.readLong());
      String requestId = nullable(in);
      int n = in.readUnsignedShort();
      List<TenantEvent> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(decode(Codecs.TENANT_EVENT, bytes(in)));
      }
      return new TenantRecord(
          tenantId, spec, status, clusterId, generation, seq, resources, requestId, events);
    } catch (IOException | RuntimeException e) {
      throw corrupt("tenant record", e);
    }
  }

  static byte[] write(DirectoryEntry e) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + 40 * e.recentRequestIds().size());
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(V1);
      nullable(out, e.cell());
      out.writeBoolean(e.live());
      out.writeShort(e.recentRequestIds().size());
      for (String id : e.recentRequestIds()) {
        out.writeUTF(id);
      }
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return buffer.toByteArray();
  }

  static DirectoryEntry readDirectoryEntry(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      version(in, "directory entry");
      String cell = nullable(in);
      boolean live = in.readBoolean();
      int n = in.readUnsignedShort();
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(in.readUTF());
      }
      return new DirectoryEntry(cell, live, List.copyOf(ids));
    } catch (IOException | RuntimeException e) {
      throw corrupt("directory entry", e);
    }
  }

  private static void version(DataInputStream in, String what) throws IOException {
    int v = in.readUnsignedByte();
    if (v != V1) {
      throw new IOException(what + " in an unknown format " + v + "; this version reads " + V1);
    }
  }

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  /** Our own values, written by the code above: a failure is corruption or a bug, not input. */
  private static <T> T decode(EventCodec<T, ?> codec, byte[] json) {
    return codec
        .decode(json)
        .orElseThrow(); // a Failure names its problems in the exception's message
  }

  private static IllegalStateException corrupt(String what, Exception cause) {
    return new IllegalStateException("corrupt " + what + " in a state store: " + cause, cause);
  }
}
