package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.app.UnconfiguredStack;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A first run that explains itself: with no admin token configured, one is generated into the data
 * directory (owner-only), works for the admin API, never shows in the log; the log has the start-up
 * summary; a configured token wins.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class FirstRunIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String log(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String generatedToken(UnconfiguredStack stack) throws IOException {
    return Files.readString(stack.app.dir().resolve("data").resolve(AdminToken.FILE), StandardCharsets.UTF_8).strip();
  }

  @Test
  void withoutATokenOneIsGeneratedOwnerOnlyWorksAsBearerAndNeverShowsInTheLog(UnconfiguredStack stack) throws IOException {
    Path file = stack.app.dir().resolve("data").resolve(AdminToken.FILE);
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String token = generatedToken(stack);
    assertThat(token).hasSizeGreaterThanOrEqualTo(40);

    HttpResponse<String> status = new AdminClient(stack.app, token).get("/api/status");
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(new AdminClient(stack.app, "not-" + token).get("/api/status").statusCode()).isEqualTo(401);

    String block = Await.value(WAIT, "the start-up summary in the log", () -> {
      String log = log(stack.app.log());
      int at = log.indexOf("wavoice is running.");
      return at < 0 ? null : log.substring(at, Math.min(log.length(), at + 2000));
    });
    assertThat(block).contains("console:     http://localhost:")
        .contains("admin token: generated at this first start, in " + file.toAbsolutePath().normalize())
        .contains("not ready for calls:")
        .contains("wavoice.whatsapp.app-secret").contains("wavoice.openai.api-key")
        .contains("Kurento Media Server is not reachable").contains("`docker compose up -d kms`");
    assertThat(log(stack.app.log())).doesNotContain(token);
  }

  @Test
  void theConsolesStatusSaysWhatIsMissingWithLinksToTheDocs(UnconfiguredStack stack) throws IOException {
    JsonObject status = Fixtures.parse(new AdminClient(stack.app, generatedToken(stack)).get("/api/status").body());
    assertThat(status.getBoolean("ready")).isFalse();
    assertThat(status.getJsonArray("missing").getValuesAs(jakarta.json.JsonString.class).stream().map(s -> s.getString()))
        .contains("wavoice.whatsapp.app-secret", "wavoice.openai.api-key");
    var facts = status.getJsonArray("notReady").stream().map(JsonValue::asJsonObject).toList();
    assertThat(facts).anySatisfy(f -> {
      assertThat(f.getString("check")).isEqualTo("kurento");
      assertThat(f.getString("fix")).contains("docker compose up -d kms");
      assertThat(f.getString("docs")).isEqualTo("docs/operations.md");
    });
    assertThat(facts).anySatisfy(f -> assertThat(f.getString("what")).contains("wavoice.whatsapp.access-token"));
    for (JsonObject fact : facts) {
      assertThat(stack.app.get("/" + fact.getString("docs")).statusCode()).as(fact.getString("docs")).isEqualTo(200);
    }
  }

  @Test
  void theSameFileIsReadAtTheNextStart(UnconfiguredStack stack) throws IOException {
    String before = generatedToken(stack);
    Await.until(WAIT, "the first start's summary", () -> log(stack.app.log()).contains("wavoice is running."));
    stack.app.restart();
    assertThat(generatedToken(stack)).isEqualTo(before);
    assertThat(new AdminClient(stack.app, before).get("/api/calls").statusCode()).isEqualTo(200);
    Await.until(WAIT, "the second start's summary", () -> log(stack.app.log()).contains("admin token: in "));
    assertThat(log(stack.app.log())).doesNotContain(before);
  }

  @Test
  void aConfiguredTokenWinsAndNoFileIsWritten(DoublesStack stack) {
    assertThat(stack.admin().get("/api/status").statusCode()).isEqualTo(200);
    assertThat(stack.app.dir().resolve("data").resolve(AdminToken.FILE)).doesNotExist();
    Await.until(WAIT, "the start-up summary", () -> log(stack.app.log()).contains("admin token: wavoice.admin.token (configured)"));
    assertThat(log(stack.app.log())).doesNotContain(DoublesStack.ADMIN_TOKEN);
  }
}
