package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import dev.wavoice.testkit.MapConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Realtime and agent settings from MicroProfile Config: defaults, every key, and clear refusals. */
class RealtimeConfigTest {

  static final String KEY = "test-openai-key-config-test-1234";

  @TempDir
  Path dir;

  static RealtimeConfig config(String... keysAndValues) {
    Map<String, String> values = new HashMap<>(Map.of(RealtimeConfig.API_KEY, KEY));
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new RealtimeConfig(new MapConfig(values), WireJson.create());
  }

  @Test
  void defaultsNeedOnlyTheKey() {
    RealtimeSettings s = config().settings();
    assertThat(s.url()).hasToString("wss://api.openai.com/v1/realtime");
    assertThat(s.endpoint()).hasToString("wss://api.openai.com/v1/realtime?model=gpt-realtime");
    assertThat(s.apiKey()).isEqualTo(KEY);
    assertThat(s.model()).isEqualTo("gpt-realtime");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.rolloverAfter()).isEqualTo(Duration.ofMinutes(55));
    assertThat(s.keepalive()).isEqualTo(new RealtimeSettings.Keepalive(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    assertThat(s.instructions()).isNull();
    assertThat(s.voice()).isEqualTo("marin");
    assertThat(s.speed()).isEqualTo(1.0);
    assertThat(s.turnDetection()).isEqualTo(new TurnDetection("server_vad", 0.5, 300, 500, null, null, true, true));
    assertThat(s.transcriptionModel()).isEqualTo("gpt-4o-mini-transcribe");
    assertThat(s.noiseReduction()).isEqualTo("near_field");
    assertThat(s.greeting()).isNull();
    assertThat(s.prices()).isEqualTo(Prices.GPT_REALTIME);
    assertThat(s.tools().httpTools()).isEmpty();
  }

  @Test
  void theRestApiTheDoctorAsksIsNextToTheRealtimeUrlUnlessConfigured() {
    ModelAccessProbe.Target target = config().modelAccessTarget();
    assertThat(target.apiUrl()).hasToString("https://api.openai.com/v1");
    assertThat(target.modelUri()).hasToString("https://api.openai.com/v1/models/gpt-realtime");
    assertThat(target.toString()).doesNotContain(KEY);
    assertThat(config(RealtimeConfig.URL, "ws://127.0.0.1:4010/v1/realtime", RealtimeConfig.MODEL, "gpt-realtime-mini")
        .modelAccessTarget().modelUri()).hasToString("http://127.0.0.1:4010/v1/models/gpt-realtime-mini");
    assertThat(config(RealtimeConfig.API_URL, "http://127.0.0.1:4011/v1/").modelAccessTarget().apiUrl())
        .hasToString("http://127.0.0.1:4011/v1");
    assertThatThrownBy(() -> config(RealtimeConfig.API_URL, "ftp://x/v1").modelAccessTarget())
        .hasMessageContaining(RealtimeConfig.API_URL);
    assertThatThrownBy(() -> new RealtimeConfig(MapConfig.of(), WireJson.create()).modelAccessTarget())
        .hasMessageContaining("wavoice.openai.api-key is not set");
  }

  @Test
  void theKeyIsRequiredNamedByReadinessAndByAnOpenAndNeverShown() {
    RealtimeConfig none = new RealtimeConfig(MapConfig.of(), WireJson.create());
    assertThat(none.missingKeys()).containsExactly("wavoice.openai.api-key");
    assertThat(none.settings().apiKey()).as("a missing key keeps the app unready; it does not fail the deploy").isNull();
    RealtimeListener ignored = new RealtimeListener() {
      @Override
      public void audioDelta(AudioDelta delta) {}

      @Override
      public void failed(RealtimeFailure failure) {}
    };
    try (RealtimeClient client = new RealtimeClient(none::settings, WireJson.create())) {
      assertThat(client.open(new CallId("wacid.nokey"), RealtimeWire.AudioFormat.PCMU, List.of(), ignored))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class)
          .havingCause().isInstanceOfSatisfying(RealtimeException.class, e -> {
            assertThat(e.failure().kind()).isEqualTo(RealtimeFailure.Kind.CONFIG_REJECTED);
            assertThat(e.getMessage()).contains("wavoice.openai.api-key is not set");
          });
    }
    assertThat(config().missingKeys()).isEmpty();
    assertThat(config().settings().toString()).doesNotContain(KEY).contains("apiKey=(set)");
  }

  @Test
  void everyKeyIsRead() throws Exception {
    Path instructions = Files.writeString(dir.resolve("agent.txt"), "  You answer for ACME.\n", StandardCharsets.UTF_8);
    RealtimeSettings s = config(
        "wavoice.openai.url", "wss://eu.example.test/v1/realtime",
        "wavoice.openai.model", "gpt-realtime-mini",
        "wavoice.openai.connect-timeout-ms", "2500",
        "wavoice.openai.rollover-after-seconds", "600",
        "wavoice.openai.keepalive-ms", "9000",
        "wavoice.openai.keepalive-timeout-ms", "1500",
        "wavoice.agent.instructions-file", instructions.toString(),
        "wavoice.agent.voice", "cedar",
        "wavoice.agent.speed", "1.25",
        "wavoice.agent.greeting", "Hi, ACME here.",
        "wavoice.openai.turn-detection", "server_vad",
        "wavoice.openai.vad-threshold", "0.8",
        "wavoice.openai.vad-prefix-padding-ms", "200",
        "wavoice.openai.vad-silence-duration-ms", "700",
        "wavoice.openai.vad-idle-timeout-ms", "8000",
        "wavoice.openai.vad-create-response", "true",
        "wavoice.openai.vad-interrupt-response", "false",
        "wavoice.openai.transcription-model", "",
        "wavoice.openai.noise-reduction", "far_field",
        "wavoice.openai.price.audio-in", "10",
        "wavoice.openai.price.audio-out", "20",
        "wavoice.openai.price.cached-in", "0.3",
        "wavoice.openai.price.text-in", "0.6",
        "wavoice.openai.price.text-out", "2.4").settings();
    assertThat(s.endpoint()).hasToString("wss://eu.example.test/v1/realtime?model=gpt-realtime-mini");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.rolloverAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.keepalive()).isEqualTo(new RealtimeSettings.Keepalive(Duration.ofSeconds(9), Duration.ofMillis(1500)));
    assertThat(s.instructions()).isEqualTo("You answer for ACME.");
    assertThat(s.voice()).isEqualTo("cedar");
    assertThat(s.speed()).isEqualTo(1.25);
    assertThat(s.greeting()).isEqualTo("Hi, ACME here.");
    assertThat(s.turnDetection()).isEqualTo(new TurnDetection("server_vad", 0.8, 200, 700, 8000, null, true, false));
    assertThat(s.transcriptionModel()).as("empty turns transcription off").isNull();
    assertThat(s.noiseReduction()).isEqualTo("far_field");
    assertThat(s.prices()).isEqualTo(new Prices(10, 20, 0.3, 0.6, 2.4));
  }

  @Test
  void semanticVadTakesEagernessAndNoiseReductionCanBeOff() {
    RealtimeSettings s = config("wavoice.openai.turn-detection", "semantic_vad", "wavoice.openai.vad-eagerness", "high",
        "wavoice.openai.noise-reduction", "none", "wavoice.agent.instructions", "Be brief.").settings();
    assertThat(s.turnDetection()).isEqualTo(new TurnDetection("semantic_vad", null, null, null, null, "high", true, true));
    assertThat(s.noiseReduction()).isNull();
    assertThat(s.instructions()).isEqualTo("Be brief.");
  }

  @Test
  void badValuesAreRefusedNamingTheirKey() {
    Map<String, String> bad = Map.ofEntries(
        Map.entry("wavoice.openai.url", "https://api.openai.com/v1/realtime"),
        Map.entry("wavoice.openai.connect-timeout-ms", "soon"),
        Map.entry("wavoice.openai.rollover-after-seconds", "3600"),
        Map.entry("wavoice.openai.keepalive-ms", "0"),
        Map.entry("wavoice.openai.keepalive-timeout-ms", "50"),
        Map.entry("wavoice.openai.turn-detection", "none"),
        Map.entry("wavoice.openai.vad-threshold", "1.5"),
        Map.entry("wavoice.openai.vad-idle-timeout-ms", "1000"),
        Map.entry("wavoice.openai.vad-create-response", "yes"),
        Map.entry("wavoice.openai.noise-reduction", "studio"),
        Map.entry("wavoice.openai.price.audio-out", "-1"),
        Map.entry("wavoice.agent.speed", "2"),
        Map.entry("wavoice.agent.instructions-file", "/nonexistent/agent.txt"),
        Map.entry("wavoice.agent.tools-file", "/nonexistent/tools.json"));
    bad.forEach((key, value) ->
        assertThatThrownBy(() -> config(key, value).settings()).as(key).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(key));
    assertThatThrownBy(() -> config("wavoice.openai.turn-detection", "semantic_vad", "wavoice.openai.vad-eagerness", "max")
        .settings()).hasMessageContaining("wavoice.openai.vad-eagerness");
    assertThatThrownBy(() -> config("wavoice.agent.instructions", "a", "wavoice.agent.instructions-file", "b").settings())
        .hasMessageContaining("set only one of wavoice.agent.instructions and wavoice.agent.instructions-file");
  }

  @Test
  void theToolsFileDeclaresHttpTools() throws Exception {
    Path file = Files.writeString(dir.resolve("tools.json"), """
        {"tools": [
          {"name": "lookup_order", "description": "Looks up an order by its number.",
           "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
           "url": "https://crm.example.test/tools/lookup_order", "timeout_ms": 3000,
           "headers": {"Authorization": "Bearer crm-token"}},
          {"name": "opening_hours", "description": "Today's opening hours.", "url": "http://10.0.0.5:8080/hours"}
        ]}""");
    ToolCatalog tools = config("wavoice.agent.tools-file", file.toString()).settings().tools();
    assertThat(tools.httpTools()).extracting(HttpToolSpec::name).containsExactly("lookup_order", "opening_hours");
    HttpToolSpec lookup = tools.http("lookup_order").orElseThrow();
    assertThat(lookup.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(lookup.headersOrEmpty()).containsEntry("Authorization", "Bearer crm-token");
    assertThat(lookup.toString()).doesNotContain("crm-token");
    HttpToolSpec hours = tools.http("opening_hours").orElseThrow();
    assertThat(hours.timeout()).isEqualTo(Duration.ofMillis(HttpToolSpec.DEFAULT_TIMEOUT_MS));
    assertThat(hours.parameters().getString("type")).isEqualTo("object");
    assertThat(tools.declarations(List.of(callTool("text_the_caller")))).extracting(RealtimeWire.FunctionTool::name)
        .containsExactly("end_call", "text_the_caller", "lookup_order", "opening_hours");
    assertThatThrownBy(() -> tools.declarations(List.of(callTool("opening_hours"))))
        .as("a call's tool may not take an HTTP tool's name")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opening_hours");
    assertThat(tools.declarations(List.of())).extracting(RealtimeWire.FunctionTool::name)
        .containsExactly("end_call", "lookup_order", "opening_hours");
  }

  private static ToolHandler callTool(String name) {
    return new ToolHandler() {
      @Override
      public RealtimeWire.FunctionTool declaration() {
        return RealtimeWire.FunctionTool.of(name, "A tool of the call.", JsonValue.EMPTY_JSON_OBJECT);
      }

      @Override
      public Outcome run(JsonObject arguments) {
        return Outcome.done(arguments);
      }
    };
  }

  @Test
  void aBadToolsFileIsRefusedNamingTheFileAndTheTool() throws Exception {
    Map<String, String> files = Map.of(
        "not json", "tools: []",
        "no tools", "{\"tool\": []}",
        "built-in name", "{\"tools\":[{\"name\":\"end_call\",\"description\":\"x\",\"url\":\"http://h/x\"}]}",
        "duplicate", "{\"tools\":[{\"name\":\"a\",\"description\":\"x\",\"url\":\"http://h/x\"},"
            + "{\"name\":\"a\",\"description\":\"y\",\"url\":\"http://h/y\"}]}",
        "bad name", "{\"tools\":[{\"name\":\"look up\",\"description\":\"x\",\"url\":\"http://h/x\"}]}",
        "no description", "{\"tools\":[{\"name\":\"a\",\"url\":\"http://h/x\"}]}",
        "bad url", "{\"tools\":[{\"name\":\"a\",\"description\":\"x\",\"url\":\"ftp://h/x\"}]}",
        "bad timeout", "{\"tools\":[{\"name\":\"a\",\"description\":\"x\",\"url\":\"http://h/x\",\"timeout_ms\":600000}]}",
        "bad parameters", "{\"tools\":[{\"name\":\"a\",\"description\":\"x\",\"url\":\"http://h/x\",\"parameters\":{\"type\":\"string\"}}]}",
        "restricted header", "{\"tools\":[{\"name\":\"a\",\"description\":\"x\",\"url\":\"http://h/x\",\"headers\":{\"Host\":\"evil\"}}]}");
    int n = 0;
    for (var entry : files.entrySet()) {
      Path file = Files.writeString(dir.resolve("tools-" + n++ + ".json"), entry.getValue());
      assertThatThrownBy(() -> config("wavoice.agent.tools-file", file.toString()).settings())
          .as(entry.getKey()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wavoice.agent.tools-file").hasMessageContaining(file.toString());
    }
  }
}
