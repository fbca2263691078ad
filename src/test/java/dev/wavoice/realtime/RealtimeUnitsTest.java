package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.WireJson;
import dev.wavoice.realtime.RealtimeWire.CachedTokenDetails;
import dev.wavoice.realtime.RealtimeWire.InputTokenDetails;
import dev.wavoice.realtime.RealtimeWire.OutputTokenDetails;
import dev.wavoice.realtime.RealtimeWire.ResponseParams;
import dev.wavoice.realtime.RealtimeWire.Usage;
import org.junit.jupiter.api.Test;

/** The small pieces of the Realtime client, without a network. */
class RealtimeUnitsTest {

  final ServerEventParser parser = new ServerEventParser(WireJson.create());

  @Test
  void theTypeIsFoundWhereverItIsAndNestedTypesAreNotMistakenForIt() {
    String json = """
        {"event_id":"e1","response":{"type":"nested","output":[{"type":"message"}]},"type":"response.done"}""";
    assertThat(ServerEventParser.topLevelType(jakarta.json.Json.createParserFactory(java.util.Map.of()), json))
        .isEqualTo("response.done");
    assertThat(parser.parse(json)).isInstanceOfSatisfying(ServerEventParser.Known.class,
        k -> assertThat(k.event()).isInstanceOf(ServerEvent.ResponseDone.class));
  }

  @Test
  void unknownTypesAndBrokenMessagesAreSortedOut() {
    assertThat(parser.parse("{\"type\":\"response.reasoning.delta\",\"event_id\":\"e\"}"))
        .isEqualTo(new ServerEventParser.Unknown("response.reasoning.delta"));
    assertThat(parser.parse("not json")).isInstanceOf(ServerEventParser.Malformed.class);
    assertThat(parser.parse("{\"event_id\":\"e\"}")).isInstanceOf(ServerEventParser.Malformed.class);
    assertThat(parser.parse("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":\"soon\"}"))
        .isInstanceOf(ServerEventParser.Malformed.class);
  }

  @Test
  void everyServerEventTypeMapsToARecord() {
    assertThat(ServerEvent.TYPES).hasSize(38);
    ServerEvent.TYPES.forEach((type, record) -> assertThat(record.isRecord()).as(type).isTrue());
  }

  @Test
  void usageIsReadByKindAndCachedTokensWithoutDetailsCountAsTextFirst() {
    var detailed = new Usage(300, 250, 50, new InputTokenDetails(120, 150, 0, 100, new CachedTokenDetails(100, 0, 20)),
        new OutputTokenDetails(10, 40));
    assertThat(TokenUsage.of(detailed)).isEqualTo(new TokenUsage(150, 100, 100, 20, 10, 40));
    var bare = new Usage(300, 250, 50, new InputTokenDetails(170, 150, 0, 100, null), new OutputTokenDetails(10, 40));
    assertThat(TokenUsage.of(bare)).isEqualTo(new TokenUsage(150, 100, 150, 20, 10, 40));
    assertThat(TokenUsage.of(null)).isEqualTo(TokenUsage.NONE);
  }

  @Test
  void costUsesTheCachedPriceForCachedInput() {
    var usage = new TokenUsage(1_000_000, 1_000_000, 500_000, 0, 1_000_000, 1_000_000);
    // text in: 0.5M uncached × 4 + audio in 1M × 32 + 0.5M cached × 0.40 + text out 16 + audio out 64
    assertThat(Prices.GPT_REALTIME.costUsd(usage)).isCloseTo(2 + 32 + 0.2 + 16 + 64, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theGateLetsOneResponseGoAtATime() {
    ResponseGate gate = new ResponseGate();
    ResponseParams a = new ResponseParams("a", null);
    ResponseParams b = new ResponseParams("b", null);
    assertThat(gate.request(a)).isSameAs(a);
    gate.sent(a, "e1");
    assertThat(gate.request(b)).as("a is awaiting response.created").isNull();
    gate.created("resp_1");
    assertThat(gate.next()).as("resp_1 is active").isNull();
    gate.done("resp_1");
    assertThat(gate.next()).isSameAs(b);
    gate.sent(b, "e2");
    // turn detection started its own response first: b is refused and queued again at the front
    gate.created("resp_server");
    assertThat(gate.refused("e2", RealtimeErrors.ACTIVE_RESPONSE)).isTrue();
    assertThat(gate.waiting()).isEqualTo(1);
    assertThat(gate.next()).isNull();
    gate.done("resp_server");
    assertThat(gate.next()).isSameAs(b);
    gate.sent(b, "e3");
    // any other refusal drops the request rather than retrying it forever
    assertThat(gate.refused("e3", "invalid_value")).isTrue();
    assertThat(gate.idle()).isTrue();
    assertThat(gate.refused("unrelated", "invalid_value")).isFalse();
  }

  @Test
  void errorsAreSortedBenignRecoverableFatal() {
    assertThat(RealtimeErrors.severity(error("response_cancel_not_active"))).isEqualTo(RealtimeErrors.Severity.BENIGN);
    assertThat(RealtimeErrors.severity(error("conversation_already_has_active_response")))
        .isEqualTo(RealtimeErrors.Severity.BENIGN);
    assertThat(RealtimeErrors.severity(error("item_truncate_invalid_item_id"))).isEqualTo(RealtimeErrors.Severity.RECOVERABLE);
    assertThat(RealtimeErrors.severity(error(null))).isEqualTo(RealtimeErrors.Severity.RECOVERABLE);
    for (String fatal : new String[] {"beta_api_shape_disabled", "invalid_api_key", "session_expired", "model_not_found"}) {
      assertThat(RealtimeErrors.severity(error(fatal))).as(fatal).isEqualTo(RealtimeErrors.Severity.FATAL);
    }
    assertThat(RealtimeErrors.failure(error("beta_api_shape_disabled")).kind()).isEqualTo(RealtimeFailure.Kind.BETA_REJECTED);
    assertThat(RealtimeErrors.closed(4000, "").kind()).isEqualTo(RealtimeFailure.Kind.BETA_REJECTED);
    assertThat(RealtimeErrors.closed(1011, "").kind()).isEqualTo(RealtimeFailure.Kind.CLOSED);
  }

  @Test
  void theConversationTailKeepsTheLastLinesWithinItsBounds() {
    ConversationTail recap = new ConversationTail();
    assertThat(recap.isEmpty()).isTrue();
    for (int i = 0; i < 40; i++) {
      recap.caller("line " + i);
      recap.agent("");
    }
    String text = recap.render();
    assertThat(text).contains("Caller: line 39").doesNotContain("Caller: line 15\n").doesNotContain("Agent:");
    assertThat(text.lines().filter(l -> l.startsWith("Caller:"))).hasSize(ConversationTail.MAX_LINES);
  }

  static RealtimeWire.ErrorInfo error(String code) {
    return new RealtimeWire.ErrorInfo("invalid_request_error", code, "m", null, null);
  }
}
