package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard kept in {@code payara/monitoring} queries only what the running app serves: after
 * one whole call (with an error OpenAI reports mid-response), every metric name in the dashboard's PromQL
 * is a sample in {@code GET /metrics}, fetched the way the compose file's Prometheus asks for it, and every
 * label a panel groups by is on that metric's samples.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class DashboardMetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  static final Path DASHBOARD = Path.of("payara/monitoring/grafana/dashboards/wavoice.json");
  /** The Accept header of Prometheus with {@code scrape_protocols: [PrometheusText0.0.4]}. */
  private static final String PROMETHEUS_TEXT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
  private static final Pattern METRIC = Pattern.compile("\\bwavoice_[a-z0-9_]+\\b");
  /** {@code by (labels) (f(metric} or {@code by (labels) (metric}: the labels a panel groups by. */
  private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\) \\((?:\\w+\\()?(wavoice_[a-z0-9_]+)");
  /** {@code metric{label="value", ...}}: the labels a panel selects on. */
  private static final Pattern SELECTOR = Pattern.compile("(wavoice_[a-z0-9_]+)\\{([^}]*)\\}");

  @AfterEach
  void noProtocolViolations(DoublesStack stack) {
    stack.openai.assertNoViolations();
  }

  @Test
  void everyMetricTheDashboardQueriesIsServedByTheRunningApp(DoublesStack stack) throws Exception {
    List<String> expressions = expressions(Fixtures.parse(Files.readString(DASHBOARD)));
    assertThat(expressions).isNotEmpty().allSatisfy(e -> assertThat(e).containsPattern(METRIC));

    oneCallWithAnOpenAiError(stack);

    HttpResponse<String> scrape = stack.app.send(HttpRequest.newBuilder(stack.app.uri("/metrics"))
        .header("Accept", PROMETHEUS_TEXT).GET().build());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    Map<String, Set<String>> served = samples(scrape.body());
    // kept for reading when a name or a unit is in doubt
    Files.writeString(stack.app.dir().resolve("dashboard-scrape.txt"), scrape.body());

    Set<String> queried = new TreeSet<>();
    for (String expression : expressions) {
      Matcher names = METRIC.matcher(expression);
      while (names.find()) {
        queried.add(names.group());
      }
    }
    assertThat(served.keySet()).as("metrics served by the app").containsAll(queried);

    for (String expression : expressions) {
      Matcher by = BY.matcher(expression);
      while (by.find()) {
        for (String label : by.group(1).split(",")) {
          assertThat(served.get(by.group(2))).as("labels of " + by.group(2) + " in " + expression).contains(label.strip());
        }
      }
      Matcher selector = SELECTOR.matcher(expression);
      while (selector.find()) {
        for (String matcher : selector.group(2).split(",")) {
          String label = matcher.split("[=!~]", 2)[0].strip();
          assertThat(served.get(selector.group(1))).as("labels of " + selector.group(1) + " in " + expression).contains(label);
        }
      }
    }
  }

  /** Meta connects a call, the agent answers with an error event in its response, Meta ends the call. */
  private static void oneCallWithAnOpenAiError(DoublesStack stack) {
    WebhookSender meta = stack.webhooks();
    AdminClient admin = stack.admin();
    String callId = "wacid.DM" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().error("server_error", "The server had an error while processing your request.").audio(600, 660, "Hello.")));

    assertThat(meta.send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept of " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
    session.speechStarted();
    session.speechStopped();
    Await.until(WAIT, "the error and the answer sent", () -> !session.sent("error").isEmpty() && !session.sent("response.done").isEmpty());
    Await.until(WAIT, "the error counted", () -> stack.app.get("/metrics").body().contains("wavoice_openai_errors_total{"));

    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "the call ended", () -> !admin.get("/api/calls").body().contains(callId));
    // the end path leaves the live list before it writes the record and counts the end
    Await.until(WAIT, "the end counted", () -> stack.app.get("/metrics").body().contains("wavoice_calls_ended_total{"));
  }

  /** The PromQL of every panel's targets, rows included. */
  static List<String> expressions(JsonObject dashboard) {
    List<String> expressions = new ArrayList<>();
    for (JsonValue panel : dashboard.getJsonArray("panels")) {
      JsonObject p = panel.asJsonObject();
      if (p.containsKey("targets")) {
        p.getJsonArray("targets").forEach(t -> expressions.add(t.asJsonObject().getString("expr")));
      }
      if (p.containsKey("panels")) {
        expressions.addAll(expressions(p));
      }
    }
    return expressions;
  }

  /** Sample names of Prometheus text, each with the label names seen on it. */
  private static Map<String, Set<String>> samples(String text) {
    Map<String, Set<String>> samples = new TreeMap<>();
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    for (String line : text.split("\n")) {
      Matcher m = sample.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Set<String> labels = samples.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (m.group(3) != null) {
        Matcher l = label.matcher(m.group(3));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
    }
    return samples;
  }
}
