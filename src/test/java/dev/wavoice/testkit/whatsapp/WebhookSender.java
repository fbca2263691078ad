package dev.wavoice.testkit.whatsapp;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers webhooks to the app as Meta does: POST with {@code Content-Type: application/json} and
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>}. The Graph
 * double follows the calls it sends, as Meta's side would: a user-initiated {@code connect} makes the call
 * known, a business-initiated one connects it, a {@code terminate} or a REJECTED status ends it.
 */
public final class WebhookSender {

  private final URI webhook;
  private final String appSecret;
  private final WhatsAppCloudDouble graph;
  private final HttpClient http;

  WebhookSender(URI webhook, String appSecret, WhatsAppCloudDouble graph) {
    this(webhook, appSecret, graph, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
  }

  WebhookSender(URI webhook, String appSecret, WhatsAppCloudDouble graph, HttpClient http) {
    this.webhook = webhook;
    this.appSecret = appSecret;
    this.graph = graph;
    this.http = http;
  }

  /** Signs with the app secret and sends. */
  public HttpResponse<String> send(String body) {
    return send(body, nanos -> { });
  }

  /**
   * As {@link #send(String)}; the POST's round trip alone (from the request handed to the HTTP client to
   * the whole response read; signing and this double's bookkeeping left out) goes to {@code roundTripNanos}.
   */
  public HttpResponse<String> send(String body, java.util.function.LongConsumer roundTripNanos) {
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    java.util.List<String> ended = registerCalls(body);
    String signature = signature(appSecret, raw);
    long sent = System.nanoTime();
    HttpResponse<String> response = post(raw, signature);
    roundTripNanos.accept(System.nanoTime() - sent);
    if (response.statusCode() == 200) {
      // the app has the news from here on: an action on these calls arriving at Meta later is its fault
      ended.forEach(graph::endDelivered);
    }
    return response;
  }

  /** Sends with the given header value (null: no header), for forged deliveries. */
  public HttpResponse<String> sendWithSignature(byte[] raw, String signatureHeader) {
    return post(raw, signatureHeader);
  }

  public static String signature(String secret, byte[] raw) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(raw));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> verify(String mode, String token, String challenge) {
    StringBuilder query = new StringBuilder("?");
    if (mode != null) query.append("hub.mode=").append(mode).append('&');
    if (token != null) query.append("hub.verify_token=").append(java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)).append('&');
    if (challenge != null) query.append("hub.challenge=").append(challenge);
    return send(HttpRequest.newBuilder(URI.create(webhook + query.toString())).timeout(Duration.ofSeconds(10)).GET().build());
  }

  private HttpResponse<String> post(byte[] raw, String signatureHeader) {
    HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(raw));
    if (signatureHeader != null) {
      request.header("X-Hub-Signature-256", signatureHeader);
    }
    return send(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Tells the Graph double what this webhook does to its calls; returns the ids of the calls it ends. */
  private java.util.List<String> registerCalls(String body) {
    java.util.List<String> ended = new java.util.ArrayList<>();
    try (var reader = JSON.createReader(new StringReader(body))) {
      JsonObject payload = reader.readObject();
      for (JsonValue entry : payload.getJsonArray("entry")) {
        for (JsonValue change : entry.asJsonObject().getJsonArray("changes")) {
          JsonObject value = change.asJsonObject().getJsonObject("value");
          if (value != null && value.containsKey("statuses")) {
            value.getJsonArray("statuses").forEach(st -> {
              JsonObject status = st.asJsonObject();
              if ("call".equals(status.getString("type", null)) && "REJECTED".equals(status.getString("status", null))) {
                graph.endedByMeta(status.getString("id"));
                ended.add(status.getString("id"));
              }
            });
          }
          if (value != null && value.containsKey("calls")) {
            value.getJsonArray("calls").forEach(c -> {
              JsonObject call = c.asJsonObject();
              if ("terminate".equals(call.getString("event", null))) {
                graph.endedByMeta(call.getString("id"));
                ended.add(call.getString("id"));
              } else if ("connect".equals(call.getString("event", null))
                  && "BUSINESS_INITIATED".equals(call.getString("direction", null))) {
                graph.userAnswered(call.getString("id"));
              } else if ("connect".equals(call.getString("event", null))) {
                JsonObject session = call.containsKey("session") && call.get("session").getValueType() == JsonValue.ValueType.OBJECT
                    ? call.getJsonObject("session") : null;
                String offer = session == null || !"offer".equals(session.getString("sdp_type", null)) ? null
                    : session.getString("sdp", null);
                if (offer == null) {
                  graph.knowCall(call.getString("id"));
                } else {
                  graph.knowCall(call.getString("id"), offer);
                }
              }
            });
          }
        }
      }
    } catch (RuntimeException notAWebhook) {
      // malformed bodies are sent on purpose by some tests
    }
    return ended;
  }
}
