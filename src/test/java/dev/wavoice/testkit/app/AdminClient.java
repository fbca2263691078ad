package dev.wavoice.testkit.app;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The app's admin API (`/api`), as an operator's script would use it. */
public final class AdminClient {

  private final PayaraApp app;
  private final String token;

  public AdminClient(PayaraApp app, String token) {
    this.app = app;
    this.token = token;
  }

  public HttpResponse<String> get(String path) {
    return app.send(request(path).GET().build());
  }

  public HttpResponse<String> post(String path, String json) {
    HttpRequest.Builder request = request(path);
    if (json == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return app.send(request.build());
  }

  public HttpResponse<String> put(String path, String json) {
    return app.send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> delete(String path) {
    return app.send(request(path).DELETE().build());
  }

  /** A GET whose body is bytes (a recording). */
  public HttpResponse<byte[]> getBytes(String path) {
    return app.sendForBytes(request(path).GET().build());
  }

  /** The call's record; fails unless the API answers 200. */
  public JsonObject call(String callId) {
    HttpResponse<String> response = get("/api/calls/" + callId);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /api/calls/" + callId + " answered " + response.statusCode() + ": " + response.body());
    }
    return Fixtures.parse(response.body());
  }

  /** The call's record once it is complete (its outcome no longer {@code IN_PROGRESS}), waited for up to {@code wait}. */
  public JsonObject endedRecord(String callId, Duration wait) {
    return Await.value(wait, "the record of " + callId + " to be complete", () -> {
      HttpResponse<String> response = get("/api/calls/" + callId);
      if (response.statusCode() != 200) {
        return null;
      }
      JsonObject record = Fixtures.parse(response.body());
      return record.getString("outcome").equals("IN_PROGRESS") ? null : record;
    });
  }

  /** Waits until no call is live, as each test that makes calls must leave the app. */
  public void awaitNoLiveCall(Duration wait) {
    Await.until(wait, "no live call left by the test", () -> get("/api/calls").body().equals("[]"));
  }

  /** Hangs up every live call: a test that failed mid-call must not leave its call to the next ones. */
  public void hangUpAll() {
    for (var live : Fixtures.parse("{\"calls\":" + get("/api/calls").body() + "}").getJsonArray("calls")) {
      post("/api/calls/" + live.asJsonObject().getString("callId") + "/hangup", null);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(40));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }
}
