package dev.wavoice.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.realtime.AudioDelta;
import dev.wavoice.realtime.Prices;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.RealtimeFailure;
import dev.wavoice.realtime.RealtimeListener;
import dev.wavoice.realtime.RealtimeSession;
import dev.wavoice.realtime.RealtimeSettings;
import dev.wavoice.realtime.RealtimeTypes.AudioFormat;
import dev.wavoice.realtime.RealtimeTypes.TurnDetection;
import dev.wavoice.realtime.ResponseSummary;
import dev.wavoice.realtime.ToolCatalog;
import dev.wavoice.testkit.Await;
import jakarta.json.JsonArray;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The double as a process of its own (as load runs use it), driven through its HTTP control interface. */
class OpenAiRealtimeDoubleProcessTest {

  static final String KEY = "test-openai-key-process-double-77";

  @Test
  void itServesTheClientAndIsScriptedAndReadOverHttp() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        OpenAiRealtimeDoubleMain.class.getName(), "--port", "0", "--control-port", "0", "--api-key", KEY, "--lean")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      assertThat(banner).startsWith("openai-double ws=");
      String ws = banner.replaceAll(".*ws=(\\S+).*", "$1");
      String control = banner.replaceAll(".*control=(\\S+).*", "$1");
      HttpClient http = HttpClient.newHttpClient();

      post(http, control + "/turns", "{\"steps\":[{\"kind\":\"audio\",\"ms\":200,\"frequency_hz\":600,\"transcript\":\"From afar.\"}]}");
      var settings = new RealtimeSettings(URI.create(ws), KEY, "gpt-realtime", Duration.ofSeconds(10), Duration.ofMinutes(55),
          new RealtimeSettings.Keepalive(Duration.ofSeconds(5), Duration.ofSeconds(5)), AudioFormat.PCMU, null, "marin", 1.0,
          new TurnDetection("server_vad", 0.5, 300, 500, null, null, true, true), null, null, null, null,
          Prices.GPT_REALTIME, new ToolCatalog(List.of()));
      List<ResponseSummary> done = new CopyOnWriteArrayList<>();
      List<byte[]> audio = new CopyOnWriteArrayList<>();
      try (RealtimeClient client = new RealtimeClient(() -> settings, WireJson.create(), null)) {
        RealtimeSession session = client.open(new CallId("wacid.process"), null, new RealtimeListener() {
          @Override
          public void audioDelta(AudioDelta delta) {
            audio.add(delta.audio());
          }

          @Override
          public void responseDone(ResponseSummary summary) {
            done.add(summary);
          }

          @Override
          public void failed(RealtimeFailure failure) {}
        }).get(20, TimeUnit.SECONDS);
        session.appendAudio(Audio.silence(Audio.PCMU, 40));
        session.requestResponse();
        Await.until(Duration.ofSeconds(10), "response", () -> done.size() == 1);
        assertThat(audio.stream().mapToInt(a -> a.length).sum()).isEqualTo(200 * 8);

        JsonArray sessions = DoubleControl.parse("{\"s\":" + get(http, control + "/sessions") + "}").getJsonArray("s");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.getJsonObject(0).getInt("input_audio_bytes")).isEqualTo(320);
        var crc = new java.util.zip.CRC32();
        crc.update(Audio.silence(Audio.PCMU, 40));
        assertThat(sessions.getJsonObject(0).getJsonNumber("input_audio_crc32").longValue()).isEqualTo(crc.getValue());
        assertThat(sessions.getJsonObject(0).getJsonObject("received").getInt("response.create")).isEqualTo(1);
        String received = get(http, control + "/sessions/0/received");
        assertThat(received).contains("\"audio_base64_chars\":428").doesNotContain("\"audio\":\"");
        assertThat(get(http, control + "/violations")).isEqualTo("[]");
        session.close();
      }
    } finally {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    }
    assertThat(process.exitValue()).isZero();
  }

  static void post(HttpClient http, String url, String body) throws Exception {
    var response = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  static String get(HttpClient http, String url) throws Exception {
    var response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
