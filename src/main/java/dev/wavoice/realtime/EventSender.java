package dev.wavoice.realtime;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sends text messages on one JDK WebSocket in order. The JDK allows one outstanding text send at a
 * time, so messages wait in a queue and each send starts when the previous one completed; callers
 * never block. A close is queued behind what is already waiting.
 */
final class EventSender {

  /** More unsent text than this (about a minute of PCM audio) means OpenAI stopped reading: fail, don't grow. */
  static final long MAX_PENDING_CHARS = 8L * 1024 * 1024;

  private static final String CLOSE = new String("close");

  private final WebSocket socket;
  private final Consumer<Throwable> onFailure;
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicLong pendingChars = new AtomicLong();
  private volatile boolean stopped;

  EventSender(WebSocket socket, Consumer<Throwable> onFailure) {
    this.socket = socket;
    this.onFailure = onFailure;
  }

  /** Queues a message; false when the sender has stopped (closed or failed). */
  boolean send(String text) {
    if (stopped) {
      return false;
    }
    long pending = pendingChars.addAndGet(text.length());
    if (pending > MAX_PENDING_CHARS) {
      fail(new IllegalStateException(pending + " characters are waiting to be sent: OpenAI is not reading"));
      return false;
    }
    queue.add(text);
    drain();
    return true;
  }

  /** Queues a normal close behind the waiting messages. */
  void close() {
    if (!stopped) {
      queue.add(CLOSE);
      drain();
    }
  }

  private void drain() {
    while (!stopped && sending.compareAndSet(false, true)) {
      String next = queue.poll();
      if (next == null) {
        sending.set(false);
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      CompletableFuture<WebSocket> sent = start(next);
      int length = next == CLOSE ? 0 : next.length();
      if (sent.isDone()) {
        // completed at once: go on in this loop instead of recursing
        finished(sent, length);
        continue;
      }
      sent.whenComplete((ws, error) -> {
        finished(sent, length);
        drain();
      });
      return;
    }
  }

  private CompletableFuture<WebSocket> start(String next) {
    try {
      if (next == CLOSE) {
        stopped = true;
        return socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
      }
      return socket.sendText(next, true);
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private void finished(CompletableFuture<WebSocket> sent, int length) {
    pendingChars.addAndGet(-length);
    sending.set(false);
    if (sent.isCompletedExceptionally()) {
      try {
        sent.join();
      } catch (RuntimeException e) {
        fail(e.getCause() == null ? e : e.getCause());
      }
    }
  }

  private void fail(Throwable cause) {
    if (!stopped) {
      stopped = true;
      queue.clear();
      onFailure.accept(cause);
    }
  }
}
