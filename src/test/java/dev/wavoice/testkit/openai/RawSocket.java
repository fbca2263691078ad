package dev.wavoice.testkit.openai;

import dev.wavoice.testkit.Fixtures;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A bare JDK WebSocket for poking the double directly (not wavoice's client): sends text, keeps what comes back. */
public final class RawSocket implements AutoCloseable {

  private final WebSocket socket;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private RawSocket(URI uri, Map<String, String> headers) throws Exception {
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(builder::header);
    StringBuilder partial = new StringBuilder();
    socket = builder.buildAsync(uri, new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          received.add(Fixtures.parse(partial.toString()));
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  public static RawSocket open(URI uri, Map<String, String> headers) throws Exception {
    return new RawSocket(uri, headers);
  }

  public void send(String json) {
    socket.sendText(json, true).join();
  }

  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** Waits for the first received event of this type (after {@code from} events). */
  public JsonObject await(String type, Duration deadline) {
    return dev.wavoice.testkit.Await.value(deadline, "event " + type,
        () -> received.stream().filter(e -> type.equals(e.getString("type", null))).findFirst().orElse(null));
  }

  public List<JsonObject> all(String type) {
    return received.stream().filter(e -> type.equals(e.getString("type", null))).toList();
  }

  public int awaitClose(Duration deadline) throws Exception {
    return closed.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
