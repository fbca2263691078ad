package dev.wavoice.realtime;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import jakarta.json.bind.Jsonb;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * Opens the Realtime sessions of all calls. It owns what they share: one JDK {@link HttpClient} (for
 * the WebSockets and the HTTP tools), a timer thread (deadlines, rollover) and virtual threads for
 * tools. Sessions hold no static state; each call has its own {@link RealtimeSession}.
 */
public final class RealtimeClient implements AutoCloseable {

  private final Supplier<RealtimeSettings> settings;
  private final Jsonb jsonb;
  private final GraphApi graph;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ExecutorService toolExecutor;

  /**
   * @param settings read when a session opens (a configuration error fails that open, clearly)
   * @param graph for {@code send_whatsapp_message}; null leaves that tool out
   */
  public RealtimeClient(Supplier<RealtimeSettings> settings, Jsonb jsonb, GraphApi graph) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
    this.graph = graph;
    this.http = HttpClient.newBuilder().build();
    var scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "wavoice-realtime-timer");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    this.timer = scheduler;
    this.toolExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wavoice-tool-", 0).factory());
  }

  /**
   * Opens a call's session (pre-warm: call it while media is being set up). The future completes once
   * OpenAI confirmed the session's audio formats, or fails with a {@link RealtimeException} naming the
   * reason (bad key, beta shape refused, formats not confirmed, timeout, ...).
   *
   * @param callerWaId the caller's WhatsApp id, for {@code send_whatsapp_message}; null for a softphone
   */
  public CompletableFuture<RealtimeSession> open(CallId callId, String callerWaId, RealtimeListener listener) {
    return open(callId, callerWaId, null, listener);
  }

  /**
   * As {@link #open(CallId, String, RealtimeListener)}, with the audio format of this call's RTP leg
   * (the bridge passes it so the session always matches the leg; null: the configured format).
   */
  public CompletableFuture<RealtimeSession> open(CallId callId, String callerWaId, RealtimeTypes.AudioFormat format,
      RealtimeListener listener) {
    RealtimeSettings current;
    try {
      current = settings.get();
    } catch (RuntimeException misconfigured) {
      return CompletableFuture.failedFuture(new RealtimeException(
          RealtimeFailure.of(RealtimeFailure.Kind.CONFIG_REJECTED, "wavoice configuration: " + misconfigured.getMessage())));
    }
    if (format != null && !format.equals(current.format())) {
      current = current.withFormat(format);
    }
    return new RealtimeSession(current, this, callId, callerWaId, listener).start();
  }

  HttpClient http() {
    return http;
  }

  Jsonb jsonb() {
    return jsonb;
  }

  GraphApi graph() {
    return graph;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  ExecutorService toolExecutor() {
    return toolExecutor;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    toolExecutor.shutdownNow();
  }
}
