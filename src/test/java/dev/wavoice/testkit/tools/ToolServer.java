package dev.wavoice.testkit.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An operator's tool endpoint for tests: records each request and answers with a set status and body,
 * or with the next scripted {@link Reply} (a stalled reply, a reply dripped a few bytes at a time).
 */
public final class ToolServer implements AutoCloseable {

  public record Request(String method, String path, String body, Map<String, List<String>> headers) {

    /** The first value of a header (names are matched case-insensitively), or null. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  /**
   * How to answer one request: {@code status} and {@code body}; {@code stall}: nothing is sent until the
   * server closes; {@code dripEvery}: the headers go out at once, then the body one byte per interval.
   */
  public record Reply(int status, String body, boolean stall, Duration dripEvery) {

    public static Reply of(int status, String body) {
      return new Reply(status, body, false, null);
    }

    public static Reply stalled() {
      return new Reply(200, "{}", true, null);
    }

    public static Reply dripped(String body, Duration every) {
      return new Reply(200, body, false, every);
    }
  }

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Reply> scripted = new ArrayDeque<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Reply standing = Reply.of(200, "{}");

  public ToolServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(workers);
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
            Map.copyOf(exchange.getRequestHeaders())));
        reply(exchange, nextReply());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientGone) {
        // the client stopped reading (its timeout): nothing to answer
      }
    });
    server.start();
  }

  private Reply nextReply() {
    synchronized (scripted) {
      Reply next = scripted.poll();
      return next != null ? next : standing;
    }
  }

  private void reply(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
    if (reply.stall()) {
      closing.await();
      return;
    }
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), out.length);
    OutputStream stream = exchange.getResponseBody();
    if (reply.dripEvery() == null) {
      stream.write(out);
      return;
    }
    for (byte b : out) {
      stream.write(b);
      stream.flush();
      if (closing.await(reply.dripEvery().toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The answer to every request that has no scripted reply. */
  public ToolServer answer(int httpStatus, String body) {
    standing = Reply.of(httpStatus, body);
    return this;
  }

  /** Requests hang until {@link #close()} (to test timeouts). */
  public ToolServer stall() {
    standing = Reply.stalled();
    return this;
  }

  /** The next requests get these replies, in order; then the standing answer again. */
  public ToolServer then(Reply... replies) {
    synchronized (scripted) {
      scripted.addAll(List.of(replies));
    }
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    workers.shutdownNow();
  }
}
