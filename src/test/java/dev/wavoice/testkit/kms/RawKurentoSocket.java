package dev.wavoice.testkit.kms;

import dev.wavoice.testkit.Fixtures;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare JSON-RPC connection to a Kurento Media Server (real or double) on the JDK WebSocket client:
 * sends exactly the text given and returns the next response, skipping {@code onEvent} notifications.
 * For protocol tests that must send what kurento-client never would.
 */
public final class RawKurentoSocket implements AutoCloseable {

  private final WebSocket socket;
  private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private RawKurentoSocket(WebSocket socket) {
    this.socket = socket;
  }

  public static RawKurentoSocket open(String url) {
    RawKurentoSocket[] self = new RawKurentoSocket[1];
    StringBuilder partial = new StringBuilder();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          queue.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (self[0] != null) {
          self[0].closed = true;
        }
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        if (self[0] != null) {
          self[0].closed = true;
        }
      }
    };
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(url), listener).join();
    RawKurentoSocket raw = new RawKurentoSocket(ws);
    self[0] = raw;
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          raw.incoming.add(queue.take());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return raw;
  }

  /** Sends one text frame and returns the next non-event message (null if none came within 5 s). */
  public JsonObject call(String json) {
    socket.sendText(json, true).join();
    try {
      while (true) {
        String message = incoming.poll(5, TimeUnit.SECONDS);
        if (message == null) {
          return null;
        }
        if (!message.contains("\"method\":\"onEvent\"")) {
          return Fixtures.parse(message);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean closedByServer() {
    return closed || socket.isInputClosed();
  }

  @Override
  public void close() {
    socket.abort();
  }
}
