package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.openai.Audio;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.openai.UpgradeRefusal;
import dev.wavoice.testkit.tools.ToolServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Realtime client over real WebSockets against the strict OpenAI double: every event the client
 * sends is checked against OpenAI's schema by the double, and {@link #stop()} fails any test in which
 * the double saw one OpenAI would refuse.
 */
class RealtimeSessionTest {

  static final String KEY = "test-openai-key-test-wavoice-5e1f0a2b";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final TurnDetection SERVER_VAD = new TurnDetection("server_vad", 0.5, 300, 500, null, null, true, true);

  final OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(KEY);
  final List<AutoCloseable> closeables = new ArrayList<>();
  final RecordingListener listener = new RecordingListener();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    openai.close();
    openai.assertNoViolations();
  }

  RealtimeSettings settings() {
    return RealtimeSettings.builder().url(URI.create(openai.url())).apiKey(KEY).model("gpt-realtime")
        .connectTimeout(Duration.ofSeconds(5)).rolloverAfter(Duration.ofMinutes(55)).keepalive(Duration.ofSeconds(15))
        .instructions("You are the wavoice test agent.").voice("marin").speed(1.0).turnDetection(SERVER_VAD)
        .transcriptionModel("gpt-4o-mini-transcribe").transcriptionLanguage("en").noiseReduction("near_field")
        .greeting("Hello, you are talking to wavoice.").prices(Prices.GPT_REALTIME).build();
  }

  RealtimeClient client(RealtimeSettings settings) {
    RealtimeClient client = new RealtimeClient(() -> settings, WireJson.create());
    closeables.add(client);
    return client;
  }

  RealtimeSession open(RealtimeSettings settings) {
    return open(client(settings), AudioFormat.PCMU, List.of());
  }

  RealtimeSession open(RealtimeClient client, AudioFormat format, List<ToolHandler> callTools) {
    RealtimeSession session = client.open(new CallId("wacid.test-" + System.nanoTime()), format, callTools, listener)
        .orTimeout(10, TimeUnit.SECONDS).join();
    closeables.add(session);
    return session;
  }

  static String type(JsonObject event) {
    return event.getString("type");
  }

  // ---- connection and configuration

  @Test
  void theHandshakeIsGaWithTheBearerKeyAndNoBetaHeader() {
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    assertThat(remote.handshake().path()).isEqualTo("/v1/realtime");
    assertThat(remote.handshake().query()).isEqualTo(Map.of("model", "gpt-realtime"));
    assertThat(remote.handshake().header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(remote.handshake().header("OpenAI-Beta")).isNull();
    assertThat(session.sessionId()).isEqualTo(remote.id());
  }

  @Test
  void theSessionUpdateIsGaShapedAndTheSessionIsReadyOnlyOnceTheFormatsAreConfirmedPcmu() {
    open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    assertThat(remote.receivedTypes()).startsWith("session.update");
    JsonObject session = remote.received("session.update").get(0).getJsonObject("session");
    assertThat(session.getString("type")).isEqualTo("realtime");
    assertThat(session.getJsonArray("output_modalities").getString(0)).isEqualTo("audio");
    assertThat(session.getString("instructions")).isEqualTo("You are the wavoice test agent.");
    JsonObject input = session.getJsonObject("audio").getJsonObject("input");
    JsonObject output = session.getJsonObject("audio").getJsonObject("output");
    assertThat(input.getJsonObject("format")).isEqualTo(Json.createObjectBuilder().add("type", "audio/pcmu").build());
    assertThat(output.getJsonObject("format")).isEqualTo(Json.createObjectBuilder().add("type", "audio/pcmu").build());
    assertThat(output.getString("voice")).isEqualTo("marin");
    assertThat(input.getJsonObject("turn_detection")).isEqualTo(Json.createObjectBuilder().add("type", "server_vad")
        .add("threshold", 0.5).add("prefix_padding_ms", 300).add("silence_duration_ms", 500)
        .add("create_response", true).add("interrupt_response", true).build());
    assertThat(input.getJsonObject("transcription").getString("model")).isEqualTo("gpt-4o-mini-transcribe");
    assertThat(input.getJsonObject("noise_reduction").getString("type")).isEqualTo("near_field");
    assertThat(session.getString("tool_choice")).isEqualTo("auto");
    // no tools of the call's own, no HTTP tools: only end_call is declared
    assertThat(session.getJsonArray("tools").stream().map(t -> t.asJsonObject().getString("name")).toList())
        .containsExactly("end_call");
    // the double's effective configuration now carries the formats
    assertThat(remote.config().getJsonObject("audio").getJsonObject("output").getJsonObject("format").getString("type"))
        .isEqualTo("audio/pcmu");
  }

  @Test
  void opusModeAsksForPcmAt24kHzBothWaysAndSemanticVadHasItsOwnFields() {
    RealtimeSettings pcm = settings();
    pcm = pcm.toBuilder().instructions(null).voice("cedar").speed(1.2)
        .turnDetection(new TurnDetection("semantic_vad", null, null, null, null, "low", true, true))
        .transcriptionModel(null).transcriptionLanguage(null).noiseReduction(null).greeting(null).build();
    open(client(pcm), AudioFormat.PCM_24K, List.of());
    JsonObject session = openai.awaitSession(0, WAIT).received("session.update").get(0).getJsonObject("session");
    JsonObject pcm24k = Json.createObjectBuilder().add("type", "audio/pcm").add("rate", 24000).build();
    assertThat(session.getJsonObject("audio").getJsonObject("input").getJsonObject("format")).isEqualTo(pcm24k);
    assertThat(session.getJsonObject("audio").getJsonObject("output").getJsonObject("format")).isEqualTo(pcm24k);
    assertThat(session.getJsonObject("audio").getJsonObject("output").getJsonNumber("speed").doubleValue()).isEqualTo(1.2);
    assertThat(session.getJsonObject("audio").getJsonObject("input").getJsonObject("turn_detection"))
        .isEqualTo(Json.createObjectBuilder().add("type", "semantic_vad").add("eagerness", "low")
            .add("create_response", true).add("interrupt_response", true).build());
    assertThat(session.containsKey("instructions")).isFalse();
    assertThat(session.getJsonObject("audio").getJsonObject("input").containsKey("transcription")).isFalse();
    assertThat(session.getJsonObject("audio").getJsonObject("input").containsKey("noise_reduction")).isFalse();
  }

  @Test
  void aSessionUpdatedThatDoesNotEchoTheFormatsIsDetectedAndTheOpenFails() {
    openai.configureNextSession(DoubleSession::mismatchFormats);
    CompletableFuture<RealtimeSession> opening =
        client(settings()).open(new CallId("wacid.mismatch"), AudioFormat.PCMU, List.of(), listener);
    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(RealtimeException.class, e -> {
          assertThat(e.failure().kind()).isEqualTo(RealtimeFailure.Kind.FORMAT_MISMATCH);
          assertThat(e.failure().detail()).contains("audio/pcm@24000", "audio/pcmu");
        });
    // the client walked away: the double sees its socket closed
    Await.until(WAIT, "socket closed", () -> openai.awaitSession(0, WAIT).isClosed());
    assertThat(listener.failures).as("open failures go to the future, not the listener").isEmpty();
  }

  @Test
  void aWrongKeyFailsTheOpenAsRefusedAuthentication() {
    CompletableFuture<RealtimeSession> opening =
        client(settings().toBuilder().apiKey("test-openai-key-not-the-right-key-0000").build())
            .open(new CallId("wacid.badkey"), AudioFormat.PCMU, List.of(), listener);
    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(RealtimeException.class, e -> {
          assertThat(e.failure().kind()).isEqualTo(RealtimeFailure.Kind.AUTH_REJECTED);
          assertThat(e.failure().errorCode()).isEqualTo("invalid_api_key");
          assertThat(e.getMessage()).doesNotContain("test-openai-key-not-the-right-key-0000");
        });
    assertThat(openai.awaitSession(0, WAIT).received()).as("nothing sent before session.created").isEmpty();
  }

  @Test
  void anUnconfirmedSessionUpdateTimesOutClearly() {
    openai.configureNextSession(DoubleSession::neverConfirm);
    RealtimeSettings s = settings();
    s = s.toBuilder().connectTimeout(Duration.ofMillis(300)).build();
    CompletableFuture<RealtimeSession> opening = client(s).open(new CallId("wacid.slow"), AudioFormat.PCMU, List.of(), listener);
    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(RealtimeException.class, e -> {
          assertThat(e.failure().kind()).isEqualTo(RealtimeFailure.Kind.CONFIG_REJECTED);
          assertThat(e.failure().detail()).contains("confirm the session.update", "600 ms");
        });
  }

  @Test
  void nothingListensThereIsAConnectFailure() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RealtimeSettings s = settings().toBuilder().url(URI.create("ws://127.0.0.1:" + port + "/v1/realtime")).build();
    CompletableFuture<RealtimeSession> opening = client(s).open(new CallId("wacid.nowhere"), AudioFormat.PCMU, List.of(), listener);
    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(RealtimeException.class,
            e -> assertThat(e.failure().kind()).isEqualTo(RealtimeFailure.Kind.CONNECT_FAILED));
  }

  // ---- audio both ways

  @Test
  void callerAudioArrivesAsExactlyTheBytesAppendedAndBotAudioComesBackDecoded() {
    openai.configureNextSession(s -> s.autoVad(false));
    openai.enqueue(Turn.of().audio(500, 700, "One moment please."));
    RealtimeSession session = open(settings());
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    byte[] speech = Audio.tone(Audio.PCMU, 600, 250, 0.4);
    for (int off = 0; off < speech.length; off += 160) {
      session.appendAudio(speech, off, 160);
      sent.write(speech, off, 160);
    }
    DoubleSession remote = openai.awaitSession(0, WAIT);
    Await.until(WAIT, "all caller audio", () -> remote.inputAudio().length == sent.size());
    assertThat(remote.inputAudio()).isEqualTo(sent.toByteArray());

    session.requestResponse();
    Await.until(WAIT, "response done", () -> listener.responses.size() == 1);
    String item = listener.deltas.get(0).itemId();
    assertThat(listener.audioOf(item)).isEqualTo(Audio.tone(Audio.PCMU, 500, 700, 0.3));
    assertThat(listener.deltas.stream().map(d -> d.audio().length).distinct().count()).isGreaterThan(1);
    assertThat(listener.botLines).containsExactly("One moment please.");
    assertThat(listener.calls).contains("audioDone " + item);
    assertThat(listener.rateLimits).hasSize(1);
  }

  @Test
  void inOpusModeTheBotAudioIs24kHzPcm() {
    openai.enqueue(Turn.of().audio(300, 500, "Hi."));
    RealtimeSession session = open(client(settings()), AudioFormat.PCM_24K, List.of());
    session.requestResponse();
    Await.until(WAIT, "response done", () -> listener.responses.size() == 1);
    assertThat(listener.audioOf(listener.deltas.get(0).itemId())).isEqualTo(Audio.tone(Audio.PCM, 300, 500, 0.3));
  }

  @Test
  void speechDetectedByTheServerIsReportedAndItsTurnAnsweredWithTranscripts() {
    openai.enqueue(Turn.of().audio(200, 440, "Your order ships tomorrow."));
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    remote.enqueueCallerTranscript("Where is my order?");
    byte[] audio = concat(Audio.silence(Audio.PCMU, 400), Audio.tone(Audio.PCMU, 600, 300, 0.5), Audio.silence(Audio.PCMU, 800));
    for (int off = 0; off < audio.length; off += 160) {
      session.appendAudio(audio, off, 160);
    }
    Await.until(WAIT, "the answer", () -> listener.responses.size() == 1);
    assertThat(listener.calls).contains("speechStarted 100", "speechStopped 1000");
    assertThat(listener.callerLines).containsExactly("Where is my order?");
    assertThat(listener.botLines).containsExactly("Your order ships tomorrow.");
    assertThat(remote.receivedTypes()).doesNotContain("response.create");
  }

  // ---- responses one at a time

  @Test
  void responseRequestsWaitUntilTheActiveResponseIsDone() {
    openai.enqueue(Turn.of().audio(100, 440, "First.").held());
    openai.enqueue(Turn.of().audio(100, 440, "Second."));
    openai.enqueue(Turn.of().audio(100, 440, "Third."));
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse();
    Await.until(WAIT, "first response started", () -> listener.calls.stream().anyMatch(c -> c.startsWith("responseStarted")));
    session.requestResponse("Say the second thing.");
    session.greet();
    Await.until(WAIT, "first audio done", () -> !remote.sent("response.output_audio.done").isEmpty());
    assertThat(remote.received("response.create")).hasSize(1);

    remote.release();
    Await.until(WAIT, "three responses", () -> listener.responses.size() == 3);
    List<JsonObject> creates = remote.received("response.create");
    assertThat(creates).hasSize(3);
    assertThat(creates.get(0).containsKey("response")).isFalse();
    assertThat(creates.get(1).getJsonObject("response").getString("instructions")).isEqualTo("Say the second thing.");
    assertThat(creates.get(2).getJsonObject("response").getString("instructions"))
        .contains("Hello, you are talking to wavoice.");
    assertThat(remote.sent("error")).as("no request ever found a response active").isEmpty();
    assertThat(listener.botLines).containsExactly("First.", "Second.", "Third.");
  }

  @Test
  void aRequestThatLosesTheRaceWithTurnDetectionIsSentAgainAfterThatResponse() {
    openai.configureNextSession(DoubleSession::startOwnResponseBeforeNextCreate);
    openai.enqueue(Turn.of().audio(100, 440, "The server's own response."));
    openai.enqueue(Turn.of().audio(100, 440, "The one we asked for."));
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse("Tell them the news.");
    Await.until(WAIT, "two responses", () -> listener.responses.size() == 2);
    List<JsonObject> creates = remote.received("response.create");
    assertThat(creates).hasSize(2);
    assertThat(creates.get(1).getJsonObject("response").getString("instructions")).isEqualTo("Tell them the news.");
    assertThat(remote.sent("error")).singleElement().satisfies(e -> {
      assertThat(e.getJsonObject("error").getString("code")).isEqualTo("conversation_already_has_active_response");
      assertThat(e.getJsonObject("error").getString("event_id")).isEqualTo(creates.get(0).getString("event_id"));
    });
    assertThat(listener.botLines).containsExactly("The server's own response.", "The one we asked for.");
    assertThat(listener.failures).isEmpty();
  }

  // ---- truncation

  @Test
  void anInterruptedItemReportsTheTranscriptItsOutputItemCarries() {
    openai.configureNextSession(s -> s.deltaInterval(Duration.ofMillis(40)));
    openai.enqueue(Turn.of().audio(2000, 440, "One two three four five six seven eight nine ten eleven twelve thirteen"));
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse();
    Await.until(WAIT, "a few deltas", () -> listener.deltas.size() >= 3);
    remote.speechStarted(); // turn detection cancels the response mid-item: no transcript .done for it
    Await.until(WAIT, "the cancelled response", () -> listener.responses.size() == 1);
    assertThat(listener.responses.get(0).status()).isEqualTo("cancelled");
    assertThat(remote.sent("response.output_audio_transcript.done")).isEmpty();
    assertThat(listener.botLines).singleElement().satisfies(line -> {
      assertThat(line).startsWith("One two three");
      assertThat(line).isNotEqualTo("One two three four five six seven eight nine ten eleven twelve thirteen");
    });
  }

  @Test
  void aTruncateOfAPlayingItemIsConfirmed() {
    openai.enqueue(Turn.of().audio(800, 440, "A long answer that the caller interrupts.").held());
    RealtimeSession session = open(settings());
    session.requestResponse();
    Await.until(WAIT, "audio", () -> listener.calls.stream().anyMatch(c -> c.startsWith("audioDone")));
    String item = listener.deltas.get(0).itemId();
    session.truncate(item, 0, 320);
    Await.until(WAIT, "truncated", () -> listener.truncations.contains(item + "@320"));
    session.truncate("item_not_from_this_session", 0, 100);
    session.cancelResponse();
    Await.until(WAIT, "cancelled", () -> listener.responses.size() == 1);
    assertThat(listener.responses.get(0).status()).isEqualTo("cancelled");
    assertThat(listener.responses.get(0).reason()).isEqualTo("client_cancelled");
    List<JsonObject> truncates = openai.awaitSession(0, WAIT).received("conversation.item.truncate");
    assertThat(truncates).singleElement().satisfies(t -> {
      assertThat(t.getString("item_id")).isEqualTo(item);
      assertThat(t.getInt("content_index")).isZero();
      assertThat(t.getInt("audio_end_ms")).isEqualTo(320);
    });
  }

  // ---- tools

  @Test
  void endCallIsRunAfterItsResponseCompletedAndReportedWithoutANewResponse() {
    openai.enqueue(Turn.of().audio(300, 440, "Goodbye and have a nice day!")
        .functionCall("end_call", "{\"reason\":\"the caller said goodbye\"}"));
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse();
    Await.until(WAIT, "end requested", () -> listener.endCalls.size() == 1);
    assertThat(listener.endCalls).containsExactly("the caller said goodbye");
    assertThat(listener.responses).singleElement().satisfies(r -> {
      assertThat(r.completed()).isTrue();
      assertThat(r.functionCalls()).containsExactly("end_call");
    });
    Await.until(WAIT, "function output", () -> remote.received("conversation.item.create").size() == 1);
    JsonObject item = remote.received("conversation.item.create").get(0).getJsonObject("item");
    assertThat(item.getString("type")).isEqualTo("function_call_output");
    assertThat(item.getString("call_id")).isEqualTo(
        remote.sent("response.function_call_arguments.done").get(0).getString("call_id"));
    assertThat(remote.received("response.create")).as("no response after end_call").hasSize(1);
    assertThat(listener.tools).singleElement().satisfies(t -> assertThat(t.endsCall()).isTrue());
  }

  @Test
  void endCallWithUnreadableArgumentsStillEndsTheCall() {
    openai.enqueue(Turn.of().audio(100, 440, "Bye!").functionCall("end_call", "{reason: oops"));
    RealtimeSession session = open(settings());
    session.requestResponse();
    Await.until(WAIT, "end requested", () -> listener.endCalls.size() == 1);
    assertThat(listener.endCalls).containsExactly("");
  }

  @Test
  void anHttpToolIsCalledWithTheArgumentsAndItsReplyGoesBackBeforeANewResponse() throws Exception {
    ToolServer crm = new ToolServer().answer(200, "{\"status\":\"shipped\",\"eta\":\"tomorrow\"}");
    closeables.add(crm);
    var tool = new HttpToolSpec("lookup_order", "Looks up an order by its number",
        Json.createObjectBuilder().add("type", "object").add("properties", Json.createObjectBuilder()
            .add("order_id", Json.createObjectBuilder().add("type", "string"))).build(),
        crm.url("/tools/lookup_order"), 2000L, Map.of("X-Api-Key", "crm-secret"));
    RealtimeSettings s = settings().toBuilder().tools(new ToolCatalog(List.of(tool))).build();
    openai.enqueue(Turn.of().functionCall("lookup_order", "{\"order_id\":\"A-17\"}"));
    openai.enqueue(Turn.of().audio(200, 440, "It ships tomorrow."));
    RealtimeSession session = open(s);
    DoubleSession remote = openai.awaitSession(0, WAIT);
    assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
        .map(t -> t.asJsonObject().getString("name")).toList()).containsExactly("end_call", "lookup_order");

    session.requestResponse();
    Await.until(WAIT, "second response", () -> listener.responses.size() == 2);
    assertThat(crm.requests()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/tools/lookup_order");
      assertThat(r.body()).isEqualTo("{\"order_id\":\"A-17\"}");
      assertThat(r.headers().get("X-api-key")).containsExactly("crm-secret");
      assertThat(r.headers().get("X-wavoice-call-id")).singleElement().asString().startsWith("wacid.test-");
    });
    List<String> order = remote.receivedTypes().stream()
        .filter(t -> t.equals("conversation.item.create") || t.equals("response.create")).toList();
    assertThat(order).containsExactly("response.create", "conversation.item.create", "response.create");
    JsonObject output = remote.received("conversation.item.create").get(0).getJsonObject("item");
    assertThat(output.getString("output")).isEqualTo("{\"status\":\"shipped\",\"eta\":\"tomorrow\"}");
    assertThat(listener.tools).singleElement().satisfies(t -> assertThat(t.ok()).isTrue());
    assertThat(listener.botLines).containsExactly("It ships tomorrow.");
  }

  @Test
  void aFailingToolBecomesAnErrorOutputAndTheCallGoesOn() {
    ToolServer broken = new ToolServer().answer(503, "{\"message\":\"maintenance\"}");
    ToolServer slow = new ToolServer().stall();
    closeables.add(broken);
    closeables.add(slow);
    JsonObject params = Json.createObjectBuilder().add("type", "object").build();
    RealtimeSettings s = settings().toBuilder().tools(new ToolCatalog(List.of(
        new HttpToolSpec("broken", "Fails", params, broken.url("/b"), 2000L, null),
        new HttpToolSpec("slow", "Never answers in time", params, slow.url("/s"), 200L, null)))).build();
    openai.enqueue(Turn.of().functionCall("broken", "{}").functionCall("slow", "{}").functionCall("missing", "{}")
        .functionCall("broken", "not json"));
    openai.enqueue(Turn.of().audio(100, 440, "Sorry, I could not check that."));
    RealtimeSession session = open(s);
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse();
    Await.until(WAIT, "the apology", () -> listener.responses.size() == 2);
    List<String> outputs = remote.received("conversation.item.create").stream()
        .map(e -> e.getJsonObject("item").getString("output")).toList();
    assertThat(outputs).hasSize(4);
    assertThat(outputs.get(0)).contains("\"error\":\"the tool answered HTTP 503\"", "maintenance");
    assertThat(outputs.get(1)).contains("timed out after 200 ms");
    assertThat(outputs.get(2)).contains("unknown tool 'missing'");
    assertThat(outputs.get(3)).contains("the arguments are not a JSON object");
    assertThat(listener.tools).hasSize(4).allSatisfy(t -> assertThat(t.ok()).isFalse());
    assertThat(broken.requests()).hasSize(1);
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aToolCallFromACancelledResponseIsNotRun() {
    ToolServer crm = new ToolServer();
    closeables.add(crm);
    RealtimeSettings s = settings().toBuilder().tools(new ToolCatalog(List.of(new HttpToolSpec("refund",
        "Refunds an order", Json.createObjectBuilder().add("type", "object").build(), crm.url("/refund"), 2000L, null)))).build();
    openai.enqueue(Turn.of().functionCall("refund", "{\"order_id\":\"A-17\"}").held());
    RealtimeSession session = open(s);
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.requestResponse();
    Await.until(WAIT, "arguments", () -> !remote.sent("response.function_call_arguments.done").isEmpty());
    session.cancelResponse();
    Await.until(WAIT, "the cancelled response", () -> listener.responses.size() == 1);
    Await.until(WAIT, "the skipped call", () -> listener.tools.size() == 1);
    assertThat(listener.responses.get(0).status()).isEqualTo("cancelled");
    assertThat(listener.tools.get(0).executed()).isFalse();
    assertThat(crm.requests()).isEmpty();
    assertThat(remote.received("conversation.item.create")).isEmpty();
    assertThat(remote.received("response.create")).hasSize(1);
  }

  @Test
  void aToolOfTheCallIsDeclaredAndRunWithItsArgumentsAndItsOutputGoesToTheModel() {
    List<JsonObject> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
    ToolHandler note = new ToolHandler() {
      @Override
      public RealtimeWire.FunctionTool declaration() {
        return RealtimeWire.FunctionTool.of("take_note", "Notes something for the caller.",
            Json.createObjectBuilder().add("type", "object").build());
      }

      @Override
      public Outcome run(JsonObject arguments) {
        runs.add(arguments);
        return Outcome.done(Json.createObjectBuilder().add("status", "noted").build());
      }
    };
    openai.enqueue(Turn.of().functionCall("take_note", "{\"text\":\"Order A-17.\"}"));
    openai.enqueue(Turn.of().audio(100, 440, "I noted it."));
    RealtimeSession session = open(client(settings()), AudioFormat.PCMU, List.of(note));
    DoubleSession remote = openai.awaitSession(0, WAIT);
    assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
        .map(t -> t.asJsonObject().getString("name")).toList()).containsExactly("end_call", "take_note");
    session.requestResponse();
    Await.until(WAIT, "the answer after the tool", () -> listener.responses.size() == 2);
    assertThat(runs).singleElement().satisfies(args -> assertThat(args.getString("text")).isEqualTo("Order A-17."));
    assertThat(listener.tools).singleElement().satisfies(t -> assertThat(t.ok()).isTrue());
    String output = remote.received("conversation.item.create").get(0).getJsonObject("item").getString("output");
    assertThat(output).isEqualTo("{\"status\":\"noted\"}");
  }

  // ---- usage

  @Test
  void usageAccumulatesByKindOverResponsesAndPricesIntoACost() {
    openai.enqueue(Turn.of().audio(100, 440, "One.").usage(new Turn.Tokens(120, 40, 0, 0, 8, 30)));
    openai.enqueue(Turn.of().audio(100, 440, "Two.").usage(new Turn.Tokens(150, 60, 100, 40, 10, 50)));
    RealtimeSession session = open(settings());
    session.requestResponse();
    session.requestResponse();
    Await.until(WAIT, "two responses", () -> listener.responses.size() == 2);
    TokenUsage total = new TokenUsage(270, 100, 100, 40, 18, 80);
    assertThat(session.usage()).isEqualTo(total);
    assertThat(listener.responses.get(0).usage()).isEqualTo(new TokenUsage(120, 40, 0, 0, 8, 30));
    assertThat(listener.responses.get(1).sessionUsage()).isEqualTo(total);
    // (170 text + 60 audio uncached) + 140 cached + 18 text out + 80 audio out, at gpt-realtime prices
    double expected = (170 * 4 + 60 * 32 + 140 * 0.40 + 18 * 16 + 80 * 64) / 1e6;
    assertThat(session.estimatedCostUsd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    // the usage the client counted is the usage the double reported
    int reported = openai.awaitSession(0, WAIT).sent("response.done").stream()
        .mapToInt(e -> e.getJsonObject("response").getJsonObject("usage").getInt("total_tokens")).sum();
    assertThat(total.total()).isEqualTo(reported);
  }

  // ---- errors and closes

  @Test
  void benignAndRecoverableErrorsAreReportedAndTheSessionGoesOn() {
    openai.enqueue(Turn.of().audio(100, 440, "Still here.").error("server_error", "The server had an error."));
    RealtimeSession session = open(settings());
    session.cancelResponse();
    Await.until(WAIT, "benign error", () -> listener.errors.size() == 1);
    assertThat(listener.errors.get(0).code()).isEqualTo("response_cancel_not_active");
    session.requestResponse();
    Await.until(WAIT, "response", () -> listener.responses.size() == 1);
    assertThat(listener.errors).extracting(RealtimeWire.ErrorInfo::code)
        .containsExactly("response_cancel_not_active", "server_error");
    assertThat(listener.responses.get(0).completed()).isTrue();
    assertThat(listener.failures).isEmpty();
    // the cancel with nothing to cancel was this test's doing (the scripted server error is no violation)
    assertThat(openai.violations()).singleElement().satisfies(v -> assertThat(v.eventType()).isEqualTo("response.cancel"));
    openai.clearViolations();
  }

  @Test
  void aFatalErrorEndsTheSessionAndIsReportedOnce() {
    openai.enqueue(Turn.of().audio(100, 440, "Hello.").error("session_expired",
        "Your session hit the maximum duration of 60 minutes."));
    RealtimeSession session = open(settings());
    session.requestResponse();
    Await.until(WAIT, "failure", () -> listener.failures.size() == 1);
    assertThat(listener.failures.get(0).kind()).isEqualTo(RealtimeFailure.Kind.SESSION_EXPIRED);
    assertThat(listener.failures.get(0).errorCode()).isEqualTo("session_expired");
    Await.until(WAIT, "socket closed", () -> openai.awaitSession(0, WAIT).isClosed());
    session.appendAudio(new byte[160]);
    session.requestResponse();
    session.close();
    assertThat(listener.failures).hasSize(1);
  }

  @Test
  void anAbruptCloseMidResponseIsReplacedByAFreshSessionWithTheRecap() {
    openai.enqueue(Turn.of().audio(200, 440, "I was saying").closeWith(1011, "internal error"));
    RealtimeSession session = open(settings());
    session.requestResponse();
    Await.until(WAIT, "the reconnect", () -> listener.reconnects.size() == 1);
    assertThat(listener.reconnects.get(0).kind()).isEqualTo(RealtimeFailure.Kind.CLOSED);
    assertThat(listener.reconnects.get(0).closeCode()).isEqualTo(1011);
    DoubleSession fresh = openai.awaitSession(1, WAIT);
    assertThat(session.sessionId()).isEqualTo(fresh.id());
    // the conversation goes on there: a request now is answered by the fresh session
    session.requestResponse();
    Await.until(WAIT, "an answer from the fresh session", () -> listener.responses.stream().anyMatch(r -> r.completed()));
    assertThat(fresh.receivedTypes()).contains("session.update", "response.create");
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aCutConnectionIsReplacedByAFreshSession() {
    // the JDK client notices a cut (no close frame) only most of the time; the keepalive catches the rest
    openai.enqueue(Turn.of().audio(200, 440, "I was").drop());
    RealtimeSession session = open(settings().toBuilder().keepalive(Duration.ofMillis(300)).build());
    session.requestResponse();
    Await.until(WAIT, "the reconnect", () -> listener.reconnects.size() == 1);
    assertThat(listener.reconnects.get(0).kind()).isIn(RealtimeFailure.Kind.TRANSPORT, RealtimeFailure.Kind.CLOSED);
    assertThat(openai.awaitSession(0, WAIT).closeCode()).isEqualTo(1006);
    assertThat(session.sessionId()).isEqualTo(openai.awaitSession(1, WAIT).id());
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aPeerThatGoesSilentIsFoundByTheKeepaliveAndReplaced() {
    RealtimeSession session = open(settings().toBuilder()
        .keepalive(new RealtimeSettings.Keepalive(Duration.ofMillis(200), Duration.ofMillis(300))).build());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    // while the peer answers, the connection lives on
    Await.until(WAIT, "three pings answered", () -> remote.pings() >= 3);
    assertThat(listener.reconnects).isEmpty();
    remote.freeze();
    Await.until(WAIT, "the reconnect", () -> listener.reconnects.size() == 1);
    assertThat(listener.reconnects.get(0).kind()).isEqualTo(RealtimeFailure.Kind.TRANSPORT);
    assertThat(listener.reconnects.get(0).detail()).contains("did not answer a WebSocket ping within 300 ms");
    assertThat(session.sessionId()).isEqualTo(openai.awaitSession(1, WAIT).id());
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aRefusedReconnectFailsTheSessionWithBothReasons() {
    RealtimeSession session = open(settings().toBuilder().keepalive(Duration.ofMillis(200)).build());
    openai.refuseNextUpgrades(1, UpgradeRefusal.rateLimited());
    openai.awaitSession(0, WAIT).freeze();
    Await.until(WAIT, "failure", () -> listener.failures.size() == 1);
    RealtimeFailure failure = listener.failures.get(0);
    assertThat(failure.kind()).isEqualTo(RealtimeFailure.Kind.TRANSPORT);
    assertThat(failure.detail()).contains("did not answer a WebSocket ping within 200 ms")
        .contains("reconnecting failed: CONNECT_FAILED: OpenAI refused the WebSocket upgrade with HTTP 429");
    assertThat(openai.refusedUpgrades()).extracting(UpgradeRefusal::status).containsExactly(429);
    assertThat(listener.reconnects).isEmpty();
    session.requestResponse();
    assertThat(listener.failures).hasSize(1);
  }

  @Test
  void aConnectionThatKeepsBeingLostIsReplacedOnlyAFewTimes() {
    RealtimeSession session = open(settings());
    for (int lost = 0; lost < RealtimeSession.MAX_RECONNECTS; lost++) {
      openai.awaitSession(lost, WAIT).closeWith(1011, "internal error");
      int replaced = lost + 1;
      Await.until(WAIT, "reconnect " + replaced, () -> listener.reconnects.size() == replaced);
      assertThat(session.sessionId()).isEqualTo(openai.awaitSession(replaced, WAIT).id());
    }
    openai.awaitSession(RealtimeSession.MAX_RECONNECTS, WAIT).closeWith(1011, "internal error");
    Await.until(WAIT, "failure", () -> listener.failures.size() == 1);
    assertThat(listener.failures.get(0).detail()).contains("not reconnecting: the connection to OpenAI was lost 3 times");
    assertThat(openai.sessions()).hasSize(RealtimeSession.MAX_RECONNECTS + 1);
  }

  @Test
  void aReconnectRefusedForTheKeyIsAnAuthFailure() {
    openai.enqueue(Turn.of().audio(100, 440, "I was").closeWith(1011, "internal error"));
    RealtimeSession session = open(settings());
    openai.refuseNextUpgrades(1, UpgradeRefusal.unauthorized(KEY));
    session.requestResponse();
    Await.until(WAIT, "failure", () -> listener.failures.size() == 1);
    assertThat(listener.failures.get(0).kind()).isEqualTo(RealtimeFailure.Kind.CLOSED);
    assertThat(listener.failures.get(0).detail())
        .contains("reconnecting failed: AUTH_REJECTED: OpenAI refused the WebSocket upgrade with HTTP 401");
  }

  @Test
  void closeCode4000MidSessionIsTheBetaRefusal() {
    RealtimeSession session = open(settings());
    openai.awaitSession(0, WAIT).closeWith(4000, "beta_api_shape_disabled");
    Await.until(WAIT, "failure", () -> listener.failures.size() == 1);
    assertThat(listener.failures.get(0).kind()).isEqualTo(RealtimeFailure.Kind.BETA_REJECTED);
    assertThat(listener.failures.get(0).closeCode()).isEqualTo(4000);
    assertThat(session.sessionId()).isNotNull();
  }

  @Test
  void closingTheSessionIsQuietAndIdempotent() {
    RealtimeSession session = open(settings());
    DoubleSession remote = openai.awaitSession(0, WAIT);
    session.close();
    session.close();
    Await.until(WAIT, "closed", remote::isClosed);
    assertThat(remote.closeCode()).isEqualTo(1000);
    assertThat(listener.failures).isEmpty();
  }

  // ---- rollover

  @Test
  void rolloverWaitsForAPauseAndCarriesARecapIntoAFreshSession() {
    openai.enqueue(Turn.of().audio(200, 440, "Your order ships tomorrow."));
    openai.enqueue(Turn.of().audio(200, 440, "Anything else?").held());
    RealtimeSession session = open(settings());
    DoubleSession first = openai.awaitSession(0, WAIT);
    first.enqueueCallerTranscript("Where is my order?");
    first.speechStarted();
    first.speechStopped();
    Await.until(WAIT, "the answer", () -> listener.botLines.size() == 1);
    session.requestResponse();
    Await.until(WAIT, "the held response", () -> listener.botLines.size() == 2);

    CompletableFuture<String> switched = session.rollover();
    DoubleSession second = openai.awaitSession(1, WAIT);
    Await.until(WAIT, "second session configured", () -> !second.sent("session.updated").isEmpty());
    assertThat(switched).as("no switch while a response is active").isNotDone();

    first.release();
    String newId = switched.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(newId).isEqualTo(second.id()).isEqualTo(session.sessionId());
    assertThat(listener.rollovers).containsExactly(second.id());
    Await.until(WAIT, "old session closed", first::isClosed);

    Await.until(WAIT, "recap", () -> !second.received("conversation.item.create").isEmpty());
    JsonObject recap = second.received("conversation.item.create").get(0).getJsonObject("item");
    assertThat(recap.getString("type")).isEqualTo("message");
    assertThat(recap.getString("role")).isEqualTo("system");
    assertThat(recap.getJsonArray("content").getJsonObject(0).getString("text"))
        .contains("Caller: Where is my order?\nAgent: Your order ships tomorrow.\nAgent: Anything else?");
    assertThat(second.received("session.update").get(0).getJsonObject("session"))
        .isEqualTo(first.received("session.update").get(0).getJsonObject("session"));

    byte[] frame = Audio.tone(Audio.PCMU, 20, 300, 0.2);
    session.appendAudio(frame);
    Await.until(WAIT, "audio on the new session", () -> second.inputAudio().length == frame.length);
    openai.enqueue(Turn.of().audio(100, 440, "Go on."));
    session.requestResponse();
    Await.until(WAIT, "a response on the new session", () -> listener.responses.size() == 3);
    assertThat(second.received("response.create")).hasSize(1);
    assertThat(session.usage().total()).isPositive();
  }

  @Test
  void rolloverStartsByItselfAfterTheConfiguredTime() {
    RealtimeSession session = open(settings().toBuilder().rolloverAfter(Duration.ofMillis(300)).build());
    DoubleSession second = openai.awaitSession(1, WAIT);
    Await.until(WAIT, "switched", () -> listener.rollovers.size() == 1);
    assertThat(session.sessionId()).isEqualTo(second.id());
    Await.until(WAIT, "first closed", () -> openai.sessions().get(0).isClosed());
    // nothing was said yet: no recap
    assertThat(second.received("conversation.item.create")).isEmpty();
  }

  @Test
  void aFailedRolloverIsReportedAndTheCurrentSessionGoesOn() {
    RealtimeSession session = open(settings());
    DoubleSession first = openai.awaitSession(0, WAIT);
    openai.configureNextSession(DoubleSession::mismatchFormats);

    CompletableFuture<String> switched = session.rollover();

    Await.until(WAIT, "the failed move reported", () -> listener.rolloverFailures.size() == 1);
    assertThat(listener.rolloverFailures.get(0).kind()).isEqualTo(RealtimeFailure.Kind.FORMAT_MISMATCH);
    assertThat(switched).isNotDone();
    assertThat(listener.rollovers).isEmpty();
    assertThat(listener.failures).isEmpty();
    assertThat(session.sessionId()).isEqualTo(first.id());
    openai.enqueue(Turn.of().audio(100, 440, "Still here."));
    session.requestResponse();
    Await.until(WAIT, "a response on the first session", () -> listener.responses.size() == 1);
    assertThat(first.received("response.create")).hasSize(1);
  }

  // ---- every client event the client can send

  @Test
  void everyKindOfEventTheClientSendsIsValidAgainstOpenAisSchema() {
    ToolServer crm = new ToolServer().answer(200, "{\"ok\":true}");
    closeables.add(crm);
    RealtimeSettings s = settings().toBuilder().tools(new ToolCatalog(List.of(new HttpToolSpec("note", "Notes",
        Json.createObjectBuilder().add("type", "object").add("properties", Json.createObjectBuilder()
            .add("text", Json.createObjectBuilder().add("type", "string"))).add("required", Json.createArrayBuilder().add("text"))
            .build(), crm.url("/note"), 1000L, null)))).build();
    openai.enqueue(Turn.of().audio(300, 440, "Noted.").functionCall("note", "{\"text\":\"hi\"}"));
    openai.enqueue(Turn.of().audio(300, 440, "Done.").held());
    RealtimeSession session = open(s);
    DoubleSession first = openai.awaitSession(0, WAIT);
    first.enqueueCallerTranscript("Please take a note.");
    // quiet audio: the double's turn detection must not hear the caller speaking (that would block the rollover)
    session.appendAudio(Audio.silence(Audio.PCMU, 40));
    session.greet();
    Await.until(WAIT, "held response", () -> listener.botLines.size() == 2);
    session.truncate(listener.deltas.get(listener.deltas.size() - 1).itemId(), 0, 100);
    session.cancelResponse();
    Await.until(WAIT, "cancelled", () -> listener.responses.size() == 2);
    session.rollover().orTimeout(10, TimeUnit.SECONDS).join();
    session.appendAudio(Audio.silence(Audio.PCMU, 40));
    DoubleSession second = openai.awaitSession(1, WAIT);
    Await.until(WAIT, "audio on the second session", () -> second.inputAudio().length > 0);

    List<String> types = new ArrayList<>(first.receivedTypes());
    types.addAll(second.receivedTypes());
    assertThat(types).contains("session.update", "input_audio_buffer.append", "response.create",
        "conversation.item.create", "conversation.item.truncate", "response.cancel");
    assertThat(first.received()).allSatisfy(r -> assertThat(r.valid()).as(r.type()).isTrue());
    assertThat(second.received()).allSatisfy(r -> assertThat(r.valid()).as(r.type()).isTrue());
    assertThat(openai.violations()).isEmpty();
  }

  @Test
  void neitherTheKeyNorCallerAudioNorWhatWasSaidIsLogged() {
    java.util.logging.Logger realtime = java.util.logging.Logger.getLogger("dev.wavoice.realtime");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        lines.add(new java.util.logging.SimpleFormatter().format(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(java.util.logging.Level.ALL);
    java.util.logging.Level before = realtime.getLevel();
    realtime.setLevel(java.util.logging.Level.ALL);
    realtime.addHandler(capture);
    try {
      openai.enqueue(Turn.of().audio(200, 440, "Secret reply.").functionCall("end_call", "{\"reason\":\"private reason\"}"));
      RealtimeSession session = open(settings());
      byte[] speech = Audio.tone(Audio.PCMU, 100, 250, 0.05);
      session.appendAudio(speech);
      session.requestResponse();
      Await.until(WAIT, "end requested", () -> listener.endCalls.size() == 1);
      session.close();
    } finally {
      realtime.removeHandler(capture);
      realtime.setLevel(before);
    }
    String log = String.join("\n", lines);
    assertThat(lines).isNotEmpty();
    assertThat(log).doesNotContain(KEY, java.util.Base64.getEncoder().encodeToString(Audio.tone(Audio.PCMU, 100, 250, 0.05)),
        "Secret reply.", "private reason");
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
