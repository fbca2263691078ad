package dev.wavoice.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * The doubles' server reports the close code the JDK client sent, every time: the client sends a Close
 * frame and half-closes at once, and the server must still decode the frame before it sees the end.
 * (Without the ordered end of stream this reported 1006 for about one close in fifteen on a busy machine.)
 */
class OrderedEndOfStreamTest {

  static final int CLOSES = 300;

  @Test
  void aNormalCloseFromTheJdkClientIsReportedAsNormalEveryTime() throws Exception {
    BlockingQueue<Integer> codes = new LinkedBlockingQueue<>();
    CountDownLatch started = new CountDownLatch(1);
    Server server = new Server(codes, started);
    server.start();
    HttpClient http = HttpClient.newHttpClient();
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).as("server started").isTrue();
      URI uri = URI.create("ws://127.0.0.1:" + server.getPort() + "/");
      List<Integer> seen = new ArrayList<>();
      for (int i = 0; i < CLOSES; i++) {
        java.net.http.WebSocket client = http.newWebSocketBuilder().buildAsync(uri, new Listener() {}).get(10, TimeUnit.SECONDS);
        client.sendText("{\"type\":\"input_audio_buffer.commit\"}", true).get(10, TimeUnit.SECONDS);
        client.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        Integer code = codes.poll(10, TimeUnit.SECONDS);
        assertThat(code).as("the server's report of close %d (codes so far: %s)", i, seen).isNotNull();
        seen.add(code);
      }
      assertThat(seen).as("close codes the server saw").containsOnly(1000);
    } finally {
      http.shutdownNow(); // a connection left open must not hold the test up
      server.stop(1000);
    }
  }

  private static final class Server extends WebSocketServer {

    private final BlockingQueue<Integer> codes;
    private final CountDownLatch started;

    Server(BlockingQueue<Integer> codes, CountDownLatch started) {
      super(new InetSocketAddress("127.0.0.1", 0));
      this.codes = codes;
      this.started = started;
      setWebSocketFactory(new OrderedEndOfStream(this, this::queue, () -> null));
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      codes.add(code);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }
}
