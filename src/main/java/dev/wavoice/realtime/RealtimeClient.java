package dev.wavoice.realtime;

import dev.wavoice.CallId;
import jakarta.json.bind.Jsonb;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import java.net.http.HttpClient;
import java.util.List;
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
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ExecutorService toolExecutor;

  /**
   * @param settings read when a session opens (a missing API key fails that open, clearly)
   */
  public RealtimeClient(Supplier<RealtimeSettings> settings, Jsonb jsonb) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jsonb = Objects.requireNonNull(jsonb, "jsonb");
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
   * @param format the audio format both ways, the one of the call's RTP leg
   * @param callTools tools this call adds to the built-in and HTTP ones
   */
  public CompletableFuture<RealtimeSession> open(CallId callId, AudioFormat format, List<ToolHandler> callTools,
      RealtimeListener listener) {
    Objects.requireNonNull(format, "format");
    RealtimeSession session;
    try {
      RealtimeSettings current = settings.get();
      if (current.apiKey() == null) {
        throw new IllegalArgumentException(RealtimeConfig.API_KEY + " is not set");
      }
      session = new RealtimeSession(current, format, callTools, this, callId, listener);
    } catch (RuntimeException misconfigured) {
      return CompletableFuture.failedFuture(new RealtimeException(
          RealtimeFailure.of(RealtimeFailure.Kind.CONFIG_REJECTED, "wavoice configuration: " + misconfigured.getMessage())));
    }
    return session.start();
  }

  HttpClient http() {
    return http;
  }

  Jsonb jsonb() {
    return jsonb;
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
