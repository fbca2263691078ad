package dev.wavoice.realtime;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the tools of one call. Every outcome, including a failure, becomes a {@link ToolResult} whose
 * output goes back to the model; nothing here throws at the caller. Blocking work (the session's own
 * tools, HTTP tools) runs on the given executor, never on the WebSocket's thread.
 */
final class ToolRunner {

  private static final Logger LOG = Logger.getLogger(ToolRunner.class.getName());

  /**
   * Larger replies from an HTTP tool would crowd the model's context: they are refused with an error. The
   * reply is streamed and reading stops at this many bytes, so a tool that answers without end costs no
   * more memory than this.
   */
  static final int MAX_OUTPUT_BYTES = 16_384;
  /** Of a failed tool's reply, this much goes to the model with the status. */
  private static final int MAX_ERROR_BODY_BYTES = 1000;

  private final ToolCatalog catalog;
  private final HttpClient http;
  private final List<ToolHandler> callTools;
  private final Executor executor;
  private final String callId;

  ToolRunner(ToolCatalog catalog, HttpClient http, List<ToolHandler> callTools, Executor executor, String callId) {
    this.catalog = catalog;
    this.http = http;
    this.callTools = List.copyOf(callTools);
    this.executor = executor;
    this.callId = callId;
  }

  /** The result of a call that is not run because its response did not complete. */
  static ToolResult skipped(ToolCall call, String status) {
    return new ToolResult(call, false, false, error("not run: the response was " + status), false, 0);
  }

  CompletableFuture<ToolResult> run(ToolCall call) {
    long startNs = System.nanoTime();
    CompletableFuture<ToolResult> outcome;
    try {
      outcome = start(call, startNs);
    } catch (RuntimeException bug) {
      outcome = CompletableFuture.failedFuture(bug);
    }
    return outcome.exceptionally(bug -> {
      LOG.log(Level.WARNING, "tool " + call.name() + " of call " + callId + " failed unexpectedly", bug);
      return result(call, startNs, false, error("the tool failed: " + rootMessage(bug)), false);
    });
  }

  private CompletableFuture<ToolResult> start(ToolCall call, long startNs) {
    if (ToolCatalog.END_CALL.equals(call.name())) {
      // ends the call whatever the arguments say: the reason is only for the record
      return CompletableFuture.completedFuture(result(call, startNs, true,
          Json.createObjectBuilder()
              .add("status", "ending")
              .add("detail", "The call ends after your goodbye has been played. Say nothing more.")
              .build().toString(),
          true));
    }
    JsonObject args;
    try {
      args = parseArguments(call.arguments());
    } catch (IllegalArgumentException bad) {
      return CompletableFuture.completedFuture(result(call, startNs, false, error(bad.getMessage()), false));
    }
    for (ToolHandler handler : callTools) {
      if (handler.declaration().name().equals(call.name())) {
        return CompletableFuture.supplyAsync(() -> {
          ToolHandler.Outcome outcome = handler.run(args);
          return result(call, startNs, outcome.ok(), outcome.output(), false);
        }, executor);
      }
    }
    return catalog.http(call.name())
        .map(tool -> callHttp(call, tool, startNs))
        .orElseGet(() -> CompletableFuture.completedFuture(
            result(call, startNs, false, error("unknown tool '" + call.name() + "'"), false)));
  }

  private CompletableFuture<ToolResult> callHttp(ToolCall call, HttpToolSpec tool, long startNs) {
    HttpRequest.Builder request = HttpRequest.newBuilder(tool.uri())
        .timeout(tool.timeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("X-Wavoice-Call-Id", callId)
        .header("X-Wavoice-Tool-Call-Id", call.callId())
        .POST(HttpRequest.BodyPublishers.ofString(call.arguments(), StandardCharsets.UTF_8));
    tool.headersOrEmpty().forEach(request::header);
    // the timeout covers the whole reply, body included; the body is read on the executor (it blocks)
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApplyAsync(ToolRunner::readCapped, executor)
        .orTimeout(tool.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String why = cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                ? "timed out after " + tool.timeout().toMillis() + " ms"
                : "could not be reached: " + rootMessage(cause);
            LOG.info(() -> "HTTP tool " + tool.name() + " of call " + callId + " " + why);
            return result(call, startNs, false, error("the tool " + why), false);
          }
          int status = response.status();
          if (status / 100 != 2) {
            LOG.info(() -> "HTTP tool " + tool.name() + " of call " + callId + " answered HTTP " + status);
            return result(call, startNs, false,
                Json.createObjectBuilder().add("error", "the tool answered HTTP " + status)
                    .add("body", response.text(MAX_ERROR_BODY_BYTES)).build().toString(),
                false);
          }
          if (response.tooLarge()) {
            LOG.info(() -> "HTTP tool " + tool.name() + " of call " + callId + " answered more than " + MAX_OUTPUT_BYTES + " bytes");
            return result(call, startNs, false,
                error("the tool's reply is larger than " + MAX_OUTPUT_BYTES + " bytes"), false);
          }
          String body = response.text(MAX_OUTPUT_BYTES);
          return result(call, startNs, true, body.isEmpty() ? "{}" : body, false);
        });
  }

  private static JsonObject parseArguments(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    try (var reader = Json.createReader(new StringReader(arguments))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException notAnObject) {
      throw new IllegalArgumentException("the arguments are not a JSON object");
    }
  }

  private static ToolResult result(ToolCall call, long startNs, boolean ok, String output, boolean endsCall) {
    return new ToolResult(call, true, ok, output, endsCall, (System.nanoTime() - startNs) / 1_000_000);
  }

  static String error(String message) {
    return Json.createObjectBuilder().add("error", message).build().toString();
  }

  /** A tool's status and at most {@link #MAX_OUTPUT_BYTES} of its reply ({@code tooLarge} when there was more). */
  private record Reply(int status, byte[] body, boolean tooLarge) {

    String text(int maxBytes) {
      return new String(body, 0, Math.min(body.length, maxBytes), StandardCharsets.UTF_8);
    }
  }

  /** Reads up to one byte past the cap, then closes the stream: the rest of a large reply is never read. */
  private static Reply readCapped(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      byte[] read = in.readNBytes(MAX_OUTPUT_BYTES + 1);
      boolean tooLarge = read.length > MAX_OUTPUT_BYTES;
      return new Reply(response.statusCode(), tooLarge ? Arrays.copyOf(read, MAX_OUTPUT_BYTES) : read, tooLarge);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
