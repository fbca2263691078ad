package dev.wavoice.testkit.kurento;

import dev.wavoice.media.KurentoMediaGateway;
import dev.wavoice.media.KurentoPool;
import dev.wavoice.media.KurentoSettings;
import dev.wavoice.testkit.Await;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media plane as the app builds it (a {@link KurentoPool} and the {@link KurentoMediaGateway}), run
 * in the test JVM on a plain scheduler instead of the server's managed one, with a unique instance tag.
 */
public final class MediaPlane implements AutoCloseable {

  public final KurentoSettings settings;
  public final KurentoPool pool;
  public final KurentoMediaGateway gateway;
  /** What the app counts in {@code wavoice_kurento_leaked_pipelines_released}. */
  public final AtomicLong leakedReleased = new AtomicLong();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "media-plane-test");
    t.setDaemon(true);
    return t;
  });

  private MediaPlane(KurentoSettings settings) {
    this.settings = settings;
    this.pool = new KurentoPool(settings, scheduler, leakedReleased::addAndGet);
    this.gateway = new KurentoMediaGateway(pool);
  }

  /** Settings for tests: quick retries, a 1 s ping, reconciliation only when a test asks, a fresh instance tag. */
  public static KurentoSettings settings(String... urls) {
    return settings(true, urls);
  }

  /** The same, choosing whether ICE-lite offers are answered by role inversion (the default) or plainly. */
  public static KurentoSettings settings(boolean invertIceLite, String... urls) {
    return new KurentoSettings(Arrays.stream(urls).map(URI::create).toList(), Optional.empty(),
        "it-" + UUID.randomUUID(), Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofMillis(100),
        Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofHours(1), invertIceLite);
  }

  public static MediaPlane start(KurentoSettings settings) {
    MediaPlane plane = new MediaPlane(settings);
    plane.pool.start();
    return plane;
  }

  /** Starts against these KMS and waits until at least one is connected. */
  public static MediaPlane connected(String... urls) {
    MediaPlane plane = start(settings(urls));
    plane.awaitAvailable();
    return plane;
  }

  public void awaitAvailable() {
    Await.until(Duration.ofSeconds(20), "a connected Kurento (" + pool.status() + ")", gateway::available);
  }

  @Override
  public void close() {
    pool.close();
    scheduler.shutdownNow();
  }
}
