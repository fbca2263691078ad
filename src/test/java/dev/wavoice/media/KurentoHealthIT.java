package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.app.UnconfiguredStack;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/** The media plane inside the real WAR on Payara Micro: readiness, leak reconciliation and its metric. */
@Tag("doubles")
@ExtendWith(Stacks.class)
class KurentoHealthIT {

  static JsonObject check(HttpResponse<String> ready, String name) {
    return Fixtures.parse(ready.body()).getJsonArray("checks").stream().map(c -> c.asJsonObject())
        .filter(c -> c.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + name + "' check in " + ready.body()));
  }

  @Test
  void withKurentoDownTheAppStillDeploysAndReadinessNamesKurentoDown(UnconfiguredStack stack) {
    assertThat(stack.app.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = stack.app.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject kurento = check(ready, "kurento");
    assertThat(kurento.getString("status")).isEqualTo("DOWN");
    assertThat(kurento.getJsonObject("data").getString(KurentoSettings.DEFAULT_URL)).startsWith("CONNECTING");
  }

  @Test
  void connectedToKurentoReadinessIsUpAndNamesIt(DoublesStack stack) {
    JsonObject kurento = Await.value(Duration.ofSeconds(30), "kurento UP", () -> {
      JsonObject c = check(stack.app.get("/health/ready"), "kurento");
      return c.getString("status").equals("UP") ? c : null;
    });
    assertThat(kurento.getJsonObject("data").getString(stack.kms.url())).isEqualTo("CONNECTED");
    assertThat(stack.kms.requests("ping")).as("kurento-client's own heartbeat").isNotEmpty();
  }

  @Test
  void leakedPipelinesOfThisAppAreReleasedAndCounted(DoublesStack stack) {
    Await.until(Duration.ofSeconds(30), "the app to connect", () -> !stack.kms.sessions().isEmpty());
    KurentoClient other = KurentoClient.create(stack.kms.url());
    try {
      MediaPipeline leaked = other.createMediaPipeline();
      leaked.addTag(PipelineTags.CALL_ID, "wacid.leaked-in-it");
      leaked.addTag(PipelineTags.INSTANCE, DoublesStack.KURENTO_INSTANCE_TAG);
      MediaPipeline foreign = other.createMediaPipeline();
      foreign.addTag(PipelineTags.INSTANCE, "another-wavoice");

      Await.until(Duration.ofSeconds(30), "the app to release the leaked pipeline",
          () -> stack.kms.pipelines().stream().noneMatch(p -> p.id().equals(leaked.getId())));
      assertThat(stack.kms.pipelines().stream().map(p -> p.id())).contains(foreign.getId());
      // the reconciler counts after its releases: the pipeline can be gone a moment before the counter moves
      String metrics = Await.value(Duration.ofSeconds(10), "the release counted in /metrics", () -> {
        String body = stack.app.get("/metrics").body();
        return body.lines().filter(l -> l.startsWith("wavoice_kurento_leaked_pipelines_released_total"))
            .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1.0) ? body : null;
      });
      assertThat(metrics.lines().filter(l -> l.startsWith("wavoice_kurento_leaked_pipelines_released_total"))
          .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))).singleElement().satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(1.0));
      assertThat(metrics).contains("wavoice_kurento_sessions_open");
      foreign.release();
    } finally {
      other.destroy();
    }
  }
}
