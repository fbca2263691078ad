package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.app.UnconfiguredStack;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The app started with nothing configured: it runs, says what is missing, and refuses webhooks with 503. */
@Tag("doubles")
@ExtendWith(Stacks.class)
class UnconfiguredIT {

  @Test
  void liveButNotReadyAndReadinessNamesTheMissingKeys(UnconfiguredStack stack) {
    assertThat(stack.app.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = stack.app.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    // the call record database works without configuration: an H2 file under ./data, kept across restarts
    assertThat(ready.body()).contains("\"database\",\"status\":\"UP\"");
    assertThat(stack.app.dir().resolve("data").resolve("wavoice.mv.db")).exists();
    assertThat(ready.body()).contains(
        "wavoice.whatsapp.app-secret", "wavoice.whatsapp.verify-token",
        "wavoice.whatsapp.access-token", "wavoice.whatsapp.phone-number-id", "wavoice.openai.api-key");
  }

  @Test
  void webhookAnswers503BeforeAnyOtherCheck(UnconfiguredStack stack) {
    byte[] body = Fixtures.utf8(Fixtures.whatsapp("webhook-connect-user-initiated.json"));
    HttpResponse<String> post = stack.app.send(HttpRequest.newBuilder(stack.app.uri("/webhook"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(post.statusCode()).isEqualTo(503);
    assertThat(post.body()).contains("wavoice.whatsapp.app-secret").doesNotContain("Exception");

    HttpResponse<String> get = stack.app.get("/webhook?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1");
    assertThat(get.statusCode()).isEqualTo(503);
    assertThat(get.body()).contains("wavoice.whatsapp.verify-token").doesNotContain("Exception");
  }
}
