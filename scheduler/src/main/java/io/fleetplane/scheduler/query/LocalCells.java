package io.fleetplane.scheduler.query;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest view of every cell this instance runs, published by the stream threads and read by the
 * REST threads. Views are immutable, so reading needs no lock.
 */
public final class LocalCells {

  private final Map<String, CellView> views = new ConcurrentHashMap<>();

  public void publish(CellView view) {
    views.put(view.cell(), view);
  }

  /** A cell whose task moved to another instance is no longer answered here. */
  public void forget(String cell) {
    views.remove(cell);
  }

  public CellView get(String cell) {
    return views.get(cell);
  }

  public List<CellView> all() {
    return views.values().stream().sorted(java.util.Comparator.comparing(CellView::cell)).toList();
  }
}
