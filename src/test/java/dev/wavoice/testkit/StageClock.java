package dev.wavoice.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a test run, how long the test classes of each stage took — by their JUnit tag
 * ({@code doubles}, {@code real-kms}, {@code browser}, ...; untagged classes count as {@code unit}) —
 * so that CI logs show where the time goes as the suite grows.
 */
public final class StageClock implements TestExecutionListener {

  private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> stageNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> stageClasses = new ConcurrentHashMap<>();

  @Override
  public void executionStarted(TestIdentifier id) {
    if (isClass(id)) {
      startedNanos.put(id.getUniqueId(), System.nanoTime());
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    Long started = startedNanos.remove(id.getUniqueId());
    if (started == null || !isClass(id)) {
      return;
    }
    String stage = id.getTags().stream().map(TestTag::getName).sorted().findFirst().orElse("unit");
    stageNanos.merge(stage, System.nanoTime() - started, Long::sum);
    stageClasses.merge(stage, 1, Integer::sum);
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (stageNanos.isEmpty()) {
      return;
    }
    StringBuilder out = new StringBuilder("\n=== test stages\n");
    new TreeMap<>(stageNanos).forEach((stage, nanos) -> out.append(String.format(
        "=== %-10s %4d s in %d test classes%n", stage, nanos / 1_000_000_000L, stageClasses.get(stage))));
    System.out.print(out);
  }

  private static boolean isClass(TestIdentifier id) {
    return id.isContainer() && id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource).orElse(false);
  }
}
