package dev.wavoice.realtime;

import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Asks OpenAI whether the API key is accepted and the Realtime model is available to it, with
 * {@code GET <api>/models/<model>}: free, changes nothing, opens no session, and answers the two
 * questions a call depends on (401 {@code invalid_api_key}; 404 {@code model_not_found}).
 */
public final class ModelAccessProbe {

  /** Where and with what to ask; {@link #toString()} leaves the key out. */
  public record Target(URI apiUrl, String apiKey, String model) {
    public Target {
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(model, "model");
    }

    public URI modelUri() {
      return URI.create(apiUrl.toString().replaceAll("/+$", "") + "/models/"
          + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Override
    public String toString() {
      return "Target[" + apiUrl + ", model=" + model + "]";
    }
  }

  /**
   * OpenAI's answer: the HTTP status, and either the model ({@code id}, {@code owned_by}) or the error's
   * {@code code}, {@code type} and {@code message} (OpenAI's message may quote part of the key: it is
   * never shown as is).
   */
  public record Result(int httpStatus, String modelId, String ownedBy, String errorCode, String errorType, String errorMessage) {
    public boolean accepted() {
      return httpStatus == 200;
    }
  }

  /** OpenAI's bodies: a model, or {@code {"error":{...}}}. */
  public record ModelBody(String id, String object, String ownedBy) {}

  public record ErrorBody(ErrorDetail error) {}

  public record ErrorDetail(String message, String type, String param, String code) {}

  private final HttpClient http;
  private final Jsonb jsonb;

  public ModelAccessProbe(HttpClient http, Jsonb jsonb) {
    this.http = http;
    this.jsonb = jsonb;
  }

  /**
   * One request, bounded by {@code timeout}.
   *
   * @throws IOException when OpenAI could not be reached or did not answer in time
   */
  public Result check(Target target, Duration timeout) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(target.modelUri())
        .timeout(timeout)
        .header("Authorization", "Bearer " + target.apiKey())
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    int status = response.statusCode();
    if (status == 200) {
      ModelBody model = parse(response.body(), ModelBody.class);
      return new Result(status, model == null ? null : model.id(), model == null ? null : model.ownedBy(), null, null, null);
    }
    ErrorBody error = parse(response.body(), ErrorBody.class);
    ErrorDetail detail = error == null ? null : error.error();
    return new Result(status, null, null, detail == null ? null : detail.code(), detail == null ? null : detail.type(),
        detail == null ? null : detail.message());
  }

  private <T> T parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return jsonb.fromJson(body, type);
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
