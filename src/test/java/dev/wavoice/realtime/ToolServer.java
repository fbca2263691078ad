package dev.wavoice.realtime;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** An operator's tool endpoint for tests: records each POST and answers with a set status and body. */
final class ToolServer implements AutoCloseable {

  record Request(String path, String body, Map<String, List<String>> headers) {}

  private final HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String reply = "{}";
  private volatile CountDownLatch stall;

  ToolServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestURI().getPath(), body, Map.copyOf(exchange.getRequestHeaders())));
        CountDownLatch wait = stall;
        if (wait != null) {
          wait.await();
        }
        byte[] out = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  ToolServer answer(int httpStatus, String body) {
    this.status = httpStatus;
    this.reply = body;
    return this;
  }

  /** Requests hang until {@link #close()} (to test timeouts). */
  ToolServer stall() {
    stall = new CountDownLatch(1);
    return this;
  }

  @Override
  public void close() {
    CountDownLatch wait = stall;
    if (wait != null) {
      wait.countDown();
    }
    server.stop(0);
  }
}
