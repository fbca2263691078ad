package dev.wavoice.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.WallClock;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The double itself is strict: a client that breaks OpenAI's rules gets OpenAI's answer, so the tests
 * of wavoice's client can trust a clean run. Poked with a bare WebSocket, not with wavoice's client.
 */
class OpenAiRealtimeDoubleTest {

  static final String KEY = "test-openai-key-test-double-0123456789";
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String GA_UPDATE = """
      {"type":"session.update","event_id":"c1","session":{"type":"realtime","output_modalities":["audio"],
       "audio":{"input":{"format":{"type":"audio/pcmu"}},"output":{"format":{"type":"audio/pcmu"},"voice":"marin"}}}}""";

  final OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(KEY);

  @AfterEach
  void stop() {
    openai.close();
  }

  RawSocket connect() throws Exception {
    return RawSocket.open(URI.create(openai.url() + "?model=gpt-realtime"), Map.of("Authorization", "Bearer " + KEY));
  }

  @Test
  void aGaSessionUpdateIsEchoedWithTheEffectiveConfiguration() throws Exception {
    try (RawSocket socket = connect()) {
      JsonObject created = socket.await("session.created", WAIT);
      assertThat(created.getJsonObject("session").getString("id")).startsWith("sess_");
      socket.send(GA_UPDATE);
      JsonObject session = socket.await("session.updated", WAIT).getJsonObject("session");
      assertThat(session.getJsonObject("audio").getJsonObject("input").getJsonObject("format").getString("type"))
          .isEqualTo("audio/pcmu");
      assertThat(session.getJsonObject("audio").getJsonObject("output").getString("voice")).isEqualTo("marin");
      // the rest of the defaults stay
      assertThat(session.getJsonObject("audio").getJsonObject("input").getJsonObject("turn_detection").getString("type"))
          .isEqualTo("server_vad");
    }
    openai.assertNoViolations();
  }

  @Test
  void itNotesWhereTheCallersSoundBeginsAndWhenEachResponsesAudioWentOut() throws Exception {
    long before = WallClock.nanos();
    long toneSent;
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send(GA_UPDATE);
      socket.await("session.updated", WAIT);
      // 200 ms of silence, then a 500 Hz tone that begins 20 ms into its append, then silence: one turn, one answer
      append(socket, Audio.silence(Audio.PCMU, 200));
      byte[] toneAppend = new byte[320];
      System.arraycopy(Audio.silence(Audio.PCMU, 20), 0, toneAppend, 0, 160);
      System.arraycopy(Audio.tone(Audio.PCMU, 20, 500, 0.3), 0, toneAppend, 160, 160);
      toneSent = WallClock.nanos();
      append(socket, toneAppend);
      append(socket, Audio.tone(Audio.PCMU, 400, 500, 0.3));
      append(socket, Audio.silence(Audio.PCMU, 400));
      socket.await("response.done", WAIT);
    }
    long after = WallClock.nanos();
    DoubleSession session = openai.sessions().getFirst();
    assertThat(session.callerOnsets()).singleElement().satisfies(onset -> {
      assertThat(onset.chunkArrivalNanos()).isBetween(toneSent, after);
      assertThat(onset.offsetNanos()).isBetween(20_000_000L, 21_000_000L);
      assertThat(onset.chunkNanos()).isEqualTo(40_000_000L);
      assertThat(onset.hz()).isBetween(480.0, 520.0);
    });
    assertThat(session.responseAudioStarts()).singleElement().satisfies(t -> assertThat(t).isBetween(before, after));
    openai.assertNoViolations();
  }

  private static void append(RawSocket socket, byte[] audio) throws Exception {
    socket.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(audio) + "\"}");
  }


  @Test
  void anUnknownParameterIsRefusedLikeOpenAiDoes() throws Exception {
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send("""
          {"type":"session.update","event_id":"c2","session":{"type":"realtime","custom_voice_id":"x"}}""");
      JsonObject error = socket.await("error", WAIT).getJsonObject("error");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("code")).isEqualTo("unknown_parameter");
      assertThat(error.getString("message")).isEqualTo("Unknown parameter: 'session.custom_voice_id'.");
      assertThat(error.getString("param")).isEqualTo("session.custom_voice_id");
      assertThat(error.getString("event_id")).isEqualTo("c2");
    }
    assertThat(openai.violations()).singleElement().satisfies(v -> assertThat(v.eventType()).isEqualTo("session.update"));
    assertThatThrownBy(openai::assertNoViolations).isInstanceOf(AssertionError.class);
  }

  @Test
  void wrongValuesTypesAndMissingFieldsGetOpenAisCodes() throws Exception {
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send("""
          {"type":"session.update","event_id":"v","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcm","rate":16000}}}}}""");
      socket.send("""
          {"type":"conversation.item.truncate","event_id":"t","item_id":"x","content_index":0,"audio_end_ms":"12"}""");
      socket.send("""
          {"type":"conversation.item.truncate","event_id":"m","item_id":"x","content_index":0}""");
      dev.wavoice.testkit.Await.until(WAIT, "three errors", () -> socket.all("error").size() == 3);
      var errors = socket.all("error").stream().map(e -> e.getJsonObject("error")).toList();
      assertThat(errors.get(0).getString("code")).isEqualTo("invalid_value");
      assertThat(errors.get(0).getString("param")).isEqualTo("session.audio.input.format.rate");
      assertThat(errors.get(0).getString("message")).isEqualTo("Invalid value: 16000. Supported values are: '24000'.");
      assertThat(errors.get(1).getString("code")).isEqualTo("invalid_type");
      assertThat(errors.get(1).getString("message"))
          .isEqualTo("Invalid type for 'audio_end_ms': expected an integer, but got a string instead.");
      assertThat(errors.get(2).getString("code")).isEqualTo("missing_required_parameter");
      assertThat(errors.get(2).getString("message")).isEqualTo("Missing required parameter: 'audio_end_ms'.");
    }
    assertThat(openai.violations()).hasSize(3);
  }

  @Test
  void anUnknownEventTypeIsAnInvalidValueOfType() throws Exception {
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send("{\"type\":\"session.create\",\"event_id\":\"u\"}");
      JsonObject error = socket.await("error", WAIT).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("invalid_value");
      assertThat(error.getString("param")).isEqualTo("type");
      assertThat(error.getString("message")).startsWith("Invalid value: 'session.create'. Supported values are: ")
          .contains("'session.update'", "'input_audio_buffer.append'");
    }
    assertThat(openai.violations()).hasSize(1);
  }

  @Test
  void aBetaShapedSessionIsRefusedAndClosedWith4000() throws Exception {
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send("""
          {"type":"session.update","session":{"modalities":["text","audio"],"input_audio_format":"g711_ulaw"}}""");
      assertThat(socket.await("error", WAIT).getJsonObject("error").getString("code")).isEqualTo("beta_api_shape_disabled");
      assertThat(socket.awaitClose(WAIT)).isEqualTo(4000);
    }
  }

  @Test
  void theBetaHeaderIsRefusedAndClosedWith4000() throws Exception {
    try (RawSocket socket = RawSocket.open(URI.create(openai.url() + "?model=gpt-realtime"),
        Map.of("Authorization", "Bearer " + KEY, "OpenAI-Beta", "realtime=v1"))) {
      assertThat(socket.await("error", WAIT).getJsonObject("error").getString("code")).isEqualTo("beta_api_shape_disabled");
      assertThat(socket.awaitClose(WAIT)).isEqualTo(4000);
      assertThat(socket.all("session.created")).isEmpty();
    }
  }

  @Test
  void aWrongKeyGetsInvalidApiKeyAndIsClosed() throws Exception {
    try (RawSocket socket = RawSocket.open(URI.create(openai.url() + "?model=gpt-realtime"),
        Map.of("Authorization", "Bearer test-openai-key-wrong-key-9999"))) {
      JsonObject error = socket.await("error", WAIT).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("invalid_api_key");
      assertThat(error.getString("message")).doesNotContain("test-openai-key-wrong-key-9999").contains("9999");
      assertThat(socket.awaitClose(WAIT)).isEqualTo(1008);
      assertThat(socket.all("session.created")).isEmpty();
    }
  }

  @Test
  void anotherPathIsNotFound() {
    assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
            .header("Authorization", "Bearer " + KEY)
            .buildAsync(URI.create("ws://127.0.0.1:" + openai.port() + "/v1/chat?model=gpt-realtime"),
                new java.net.http.WebSocket.Listener() {})
            .join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
  }

  @Test
  void oneActiveResponseCancelAndTruncateAreRefereedLikeOpenAi() throws Exception {
    openai.enqueue(Turn.of().audio(300, 440, "Hello there").held());
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send(GA_UPDATE);
      socket.await("session.updated", WAIT);
      socket.send("{\"type\":\"response.cancel\",\"event_id\":\"c0\"}");
      assertThat(socket.await("error", WAIT).getJsonObject("error").getString("code")).isEqualTo("response_cancel_not_active");

      socket.send("{\"type\":\"response.create\",\"event_id\":\"r1\"}");
      JsonObject created = socket.await("response.created", WAIT);
      String responseId = created.getJsonObject("response").getString("id");
      String itemId = socket.await("response.output_item.added", WAIT).getJsonObject("item").getString("id");
      dev.wavoice.testkit.Await.until(WAIT, "all audio", () -> !socket.all("response.output_audio.done").isEmpty());
      int audioBytes = socket.all("response.output_audio.delta").stream()
          .mapToInt(d -> Base64.getDecoder().decode(d.getString("delta")).length).sum();
      assertThat(audioBytes).isEqualTo(300 * 8);
      assertThat(socket.all("response.output_audio.delta").stream().map(d -> d.getString("delta").length()).distinct().count())
          .as("deltas of varying size").isGreaterThan(1);

      socket.send("{\"type\":\"response.create\",\"event_id\":\"r2\"}");
      dev.wavoice.testkit.Await.until(WAIT, "second error", () -> socket.all("error").size() == 2);
      JsonObject busy = socket.all("error").get(1).getJsonObject("error");
      assertThat(busy.getString("code")).isEqualTo("conversation_already_has_active_response");
      assertThat(busy.getString("message")).contains(responseId);
      assertThat(busy.getString("event_id")).isEqualTo("r2");

      socket.send("{\"type\":\"conversation.item.truncate\",\"event_id\":\"t1\",\"item_id\":\"" + itemId
          + "\",\"content_index\":0,\"audio_end_ms\":400}");
      dev.wavoice.testkit.Await.until(WAIT, "third error", () -> socket.all("error").size() == 3);
      assertThat(socket.all("error").get(2).getJsonObject("error").getString("message"))
          .isEqualTo("Audio content of 300ms is already shorter than 400ms");
      socket.send("{\"type\":\"conversation.item.truncate\",\"event_id\":\"t2\",\"item_id\":\"" + itemId
          + "\",\"content_index\":0,\"audio_end_ms\":120}");
      assertThat(socket.await("conversation.item.truncated", WAIT).getInt("audio_end_ms")).isEqualTo(120);

      socket.send("{\"type\":\"response.cancel\",\"event_id\":\"c1\"}");
      JsonObject done = socket.await("response.done", WAIT).getJsonObject("response");
      assertThat(done.getString("status")).isEqualTo("cancelled");
      assertThat(done.getJsonObject("status_details").getString("reason")).isEqualTo("client_cancelled");
      assertThat(done.getJsonObject("usage").getJsonObject("output_token_details").getInt("audio_tokens")).isEqualTo(300 / 50);
    }
    // each error the client drew is its violation
    assertThat(openai.violations()).extracting(OpenAiRealtimeDouble.Violation::eventType)
        .containsExactly("response.cancel", "response.create", "conversation.item.truncate");
    assertThatThrownBy(openai::assertNoViolations).hasMessageContaining("conversation_already_has_active_response");
    openai.assertNoViolations();
  }

  @Test
  void theDoubleHearsSpeechInTheAudioAndAnswersWithATone() throws Exception {
    openai.enqueue(Turn.of().audio(200, 1000, "Sure."));
    try (RawSocket socket = connect()) {
      socket.await("session.created", WAIT);
      socket.send(GA_UPDATE);
      socket.await("session.updated", WAIT);
      byte[] speech = Audio.tone(Audio.PCMU, 400, 300, 0.5);
      byte[] quiet = Audio.silence(Audio.PCMU, 700);
      for (byte[] chunk : new byte[][] {quiet, speech, quiet}) {
        for (int off = 0; off < chunk.length; off += 160) {
          byte[] frame = java.util.Arrays.copyOfRange(chunk, off, Math.min(chunk.length, off + 160));
          socket.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}");
        }
      }
      JsonObject started = socket.await("input_audio_buffer.speech_started", WAIT);
      assertThat(started.getInt("audio_start_ms")).isEqualTo(700 - 300);
      JsonObject stopped = socket.await("input_audio_buffer.speech_stopped", WAIT);
      assertThat(stopped.getInt("audio_end_ms")).isEqualTo(700 + 400);
      socket.await("input_audio_buffer.committed", WAIT);
      socket.await("response.done", WAIT);
      byte[] bot = socket.all("response.output_audio.delta").stream()
          .map(d -> Base64.getDecoder().decode(d.getString("delta")))
          .reduce(new byte[0], (a, b) -> { byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length); return c; });
      assertThat(bot).hasSize(200 * 8);
      assertThat(Audio.rms(Audio.PCMU, bot, 0, bot.length)).isGreaterThan(5000);
    }
    openai.assertNoViolations();
    assertThat(openai.sessions().get(0).inputAudio()).hasSize((700 + 400 + 700) * 8);
  }
}
