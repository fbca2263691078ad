package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wavoice.testkit.Await;
import jakarta.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An HTTP tool's reply is streamed and reading stops at the cap, however much the tool sends. */
class ToolRunnerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean stoppedByClient = new AtomicBoolean();
  private volatile byte[] reply;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] fixed = reply;
      try (exchange; OutputStream out = exchange.getResponseBody()) {
        if (fixed != null) {
          exchange.sendResponseHeaders(200, fixed.length);
          out.write(fixed);
          return;
        }
        // a tool that never stops answering: chunked, until the client goes away
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) ' ');
        while (true) {
          out.write(chunk);
          out.flush();
          sent.addAndGet(chunk.length);
        }
      } catch (IOException gone) {
        stoppedByClient.set(true);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
    http.close();
  }

  private ToolResult run() {
    var tool = new HttpToolSpec("endless", "answers without end", Json.createObjectBuilder().add("type", "object").build(),
        "http://127.0.0.1:" + server.getAddress().getPort() + "/tool", 15_000L, Map.of());
    var runner = new ToolRunner(new ToolCatalog(List.of(tool)), http, List.of(), executor, "wacid.tool-test");
    return runner.run(new ToolCall("resp_1", "item_1", "call_1", "endless", "{}")).join();
  }

  @Test
  void aReplyWithoutEndIsRefusedAtTheCapAndTheStreamIsClosed() {
    ToolResult result = run();

    assertThat(result.ok()).isFalse();
    assertThat(result.output()).contains("larger than " + ToolRunner.MAX_OUTPUT_BYTES + " bytes");
    Await.until(WAIT, "the tool's server to see the client stop reading", stoppedByClient::get);
  }

  @Test
  void aReplyExactlyAtTheCapIsTheOutput() {
    byte[] body = new byte[ToolRunner.MAX_OUTPUT_BYTES];
    Arrays.fill(body, (byte) ' ');
    body[0] = '"';
    body[body.length - 1] = '"';
    reply = body;

    ToolResult result = run();

    assertThat(result.ok()).isTrue();
    assertThat(result.output()).hasSize(ToolRunner.MAX_OUTPUT_BYTES).startsWith("\"");
  }

  @Test
  void oneByteOverTheCapIsRefused() {
    byte[] body = new byte[ToolRunner.MAX_OUTPUT_BYTES + 1];
    Arrays.fill(body, (byte) 'x');
    reply = body;

    assertThat(run().output()).contains("larger than " + ToolRunner.MAX_OUTPUT_BYTES + " bytes");
  }
}
