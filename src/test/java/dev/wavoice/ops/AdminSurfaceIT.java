package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The app's unauthenticated surface on the real WAR: no details in health, security headers on pages,
 * wrong tokens throttled per client, console watchers bounded.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class AdminSurfaceIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  /** A client whose requests come from its own loopback address (the throttle keys by remote address). */
  private static HttpClient clientFrom(String address) {
    try {
      return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).connectTimeout(Duration.ofSeconds(5)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> get(HttpClient client, String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(stack.app.uri(path)).timeout(Duration.ofSeconds(15)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void healthAndPagesCarryNoAccountIdsNumbersTokensOrInternalUrls() {
    // the doctor's start-up run has a report, failing or not: its facts must still stay out
    Await.until(WAIT, "the doctor's start-up run", () -> !stack.app.get("/health/ready").body().contains("not yet"));
    stack.whatsapp.callingStatus("DISABLED");
    try {
      assertThat(stack.admin().get("/api/doctor").statusCode()).isEqualTo(200);
      for (String path : List.of("/health", "/health/ready", "/health/live", "/health/started", "/", "/softphone.html")) {
        HttpResponse<String> response = stack.app.get(path);
        assertThat(response.body()).as(path)
            .doesNotContain(DoublesStack.PHONE_NUMBER_ID).doesNotContain(stack.whatsapp.wabaId()).doesNotContain(DoublesStack.APP_ID)
            .doesNotContain(DoublesStack.ACCESS_TOKEN).doesNotContain(DoublesStack.ADMIN_TOKEN).doesNotContain(DoublesStack.APP_SECRET)
            .doesNotContain(DoublesStack.OPENAI_API_KEY).doesNotContain(DoublesStack.PUBLIC_URL)
            .doesNotContain(stack.kms.url()).doesNotContain("ws://").doesNotContain("127.0.0.1").doesNotContain("expires");
      }
      JsonObject doctor = Fixtures.parse(stack.app.get("/health/ready").body()).getJsonArray("checks").stream()
          .map(JsonValue::asJsonObject).filter(c -> c.getString("name").equals("doctor")).findFirst().orElseThrow();
      assertThat(doctor.getJsonObject("data").getString("calling-enabled")).isEqualTo("FAIL");
    } finally {
      stack.whatsapp.healthy();
    }
  }

  @Test
  void pagesSendAContentSecurityPolicyNosniffAndAReferrerPolicy() {
    for (String path : List.of("/", "/softphone.html", "/assets/console.js", "/health/ready", "/docs/operations.md")) {
      HttpResponse<String> response = stack.app.get(path);
      assertThat(response.statusCode()).as(path).isIn(200, 503);
      assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
          .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline")
              .contains("object-src 'none'").contains("frame-ancestors 'none'"));
      assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
    }
    // and the pages have nothing inline the policy would block
    for (String page : List.of("/", "/softphone.html")) {
      String html = stack.app.get(page).body();
      assertThat(html).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContainPattern("\\son[a-z]+\\s*=");
    }
    assertThat(stack.app.get("/docs/operations.md").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(stack.app.get("/docs/../WEB-INF/beans.xml").statusCode()).isIn(400, 404);
  }

  @Test
  void tenWrongTokensFromOneClientGet429ForAMinuteWhileOthersAreServed() {
    HttpClient guesser = clientFrom("127.0.0." + ThreadLocalRandom.current().nextInt(2, 250));
    for (int i = 1; i <= 10; i++) {
      assertThat(get(guesser, "/api/calls", "wrong-token-" + i).statusCode()).as("wrong token %d", i).isEqualTo(401);
    }
    HttpResponse<String> throttled = get(guesser, "/api/calls", "wrong-token-11");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
        s -> assertThat(Integer.parseInt(s)).isBetween(1, 60));
    assertThat(Fixtures.parse(throttled.body()).getString("error")).isEqualTo("too_many_requests");
    // during the block even the right token is not looked at: a lucky guess would not tell
    assertThat(get(guesser, "/api/calls", DoublesStack.ADMIN_TOKEN).statusCode()).isEqualTo(429);
    // another client is not affected
    assertThat(stack.admin().get("/api/calls").statusCode()).isEqualTo(200);
  }

  /** Opens the console's event feed; the response comes as soon as the feed starts (or is refused). */
  private static HttpResponse<InputStream> watch(HttpClient client) {
    try {
      return client.send(HttpRequest.newBuilder(stack.app.uri("/api/events")).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + DoublesStack.ADMIN_TOKEN).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void close(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // closing our end is all that matters
    }
  }

  @Test
  void consoleWatchersAreBoundedAndMoreAreRefusedWith503() throws IOException {
    List<InputStream> open = new ArrayList<>();
    try (HttpClient client = HttpClient.newHttpClient()) {
      try {
        HttpResponse<InputStream> refused = null;
        for (int i = 0; i <= ConsoleFeed.MAX_WATCHERS && refused == null; i++) {
          HttpResponse<InputStream> response = watch(client);
          if (response.statusCode() == 503) {
            refused = response;
          } else {
            assertThat(response.statusCode()).isEqualTo(200);
            open.add(response.body());
          }
        }
        assertThat(refused).as("a watcher beyond " + ConsoleFeed.MAX_WATCHERS).isNotNull();
        assertThat(open).hasSizeLessThanOrEqualTo(ConsoleFeed.MAX_WATCHERS);
        try (InputStream body = refused.body()) {
          assertThat(new String(body.readAllBytes())).contains("too_many_watchers");
        }
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      } finally {
        open.forEach(AdminSurfaceIT::close);
      }
      // gone watchers are found by the feed's heartbeat (every 15 s) and make room again
      Await.until(Duration.ofSeconds(60), "a watcher accepted again", () -> {
        HttpResponse<InputStream> again = watch(client);
        close(again.body());
        return again.statusCode() == 200;
      });
    }
  }
}
