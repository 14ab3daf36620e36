package io.fleetplane.placement.score;

/** The first host, in host id order, that fits: key = 0 for every host, so the id decides. */
public final class FirstFit implements ScoringPolicy {

  @Override
  public String name() {
    return "first-fit";
  }

  @Override
  public double key(int which, long[] free) {
    return 0;
  }

  @Override
  public String explain(double key) {
    return "first-fit: the first host in id order that fits";
  }
}
