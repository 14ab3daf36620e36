package io.fleetplane.scheduler.streams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every request id the intake has seen, per tenant, for as long as {@code fleet.tenant-requests}
 * keeps requests: a re-sent request is recognised whatever came after it, across restarts and
 * rebalances (the store has a changelog, and lives in the intake's task, partitioned as the
 * requests are).
 *
 * <p>Bounded: an id costs a 16-byte key (the first 128 bits of SHA-256 of the tenant id, a newline
 * and the request id, so a 128-character id costs no more than a short one) and an 8-byte time, and
 * is forgotten {@code retention} after it was last seen, by a sweep that visits a slice of the
 * store on each call, so that no call holds the stream thread long. Beyond the retention a re-sent
 * id is a new request, as the topic no longer holds the original either (the intake refuses
 * requests whose {@code requestedAt} is that old, for clients that set it).
 */
final class RequestIds {

  /** How many entries one sweep visits: ~1-2 ms of the stream thread. */
  static final int SWEEP_SLICE = 20_000;

  private final KeyValueStore<Bytes, Long> store;
  private final long retentionMs;
  private final MessageDigest sha256;
  private Bytes sweepFrom;

  RequestIds(KeyValueStore<Bytes, Long> store, long retentionMs) {
    this.store = store;
    this.retentionMs = retentionMs;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Records a sighting of this tenant's request id, and says whether it is a repeat: seen before,
   * within the retention of its last sighting (a client that keeps re-sending keeps it remembered).
   */
  boolean repeat(String tenantId, String requestId, long nowMs) {
    Bytes key = key(tenantId, requestId);
    Long last = store.get(key);
    store.put(key, nowMs);
    return last != null && last >= nowMs - retentionMs;
  }

  /**
   * Forgets ids first seen more than the retention ago, visiting at most {@link #SWEEP_SLICE}
   * entries from where the last sweep stopped; a full pass over 3M ids takes 150 calls.
   *
   * @return how many were forgotten
   */
  int sweep(long nowMs) {
    List<Bytes> expired = new ArrayList<>();
    int visited = 0;
    Bytes next = null;
    try (KeyValueIterator<Bytes, Long> it = store.range(sweepFrom, null)) {
      while (it.hasNext()) {
        var kv = it.next();
        if (visited++ == SWEEP_SLICE) {
          next = kv.key;
          break;
        }
        if (kv.value < nowMs - retentionMs) {
          expired.add(kv.key);
        }
      }
    }
    for (Bytes k : expired) {
      store.delete(k);
    }
    sweepFrom = next; // null: the next sweep starts over
    return expired.size();
  }

  private Bytes key(String tenantId, String requestId) {
    sha256.reset();
    sha256.update(tenantId.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n'); // in neither id: "a\nbc" and "ab\nc" differ
    sha256.update(requestId.getBytes(StandardCharsets.US_ASCII));
    byte[] digest = sha256.digest();
    return Bytes.wrap(java.util.Arrays.copyOf(digest, 16));
  }
}
