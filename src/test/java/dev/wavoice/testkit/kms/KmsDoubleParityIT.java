package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.kurento.SdpFixtures;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The KMS double against the real Kurento Media Server 7.3: the same raw JSON-RPC exchange (good
 * requests, bad ones, SDP negotiation errors, transactions, sessions) goes to both, and every answer
 * must have the same shape, codes, types and messages (ids, session ids and SDP bodies aside).
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class KmsDoubleParityIT {

  private static final Pattern UUID_LIKE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern OBJECT_ID = Pattern.compile("(<id>_kurento\\.[A-Za-z]+/?)+");

  record Step(String name, String request, String capture) {}

  static List<Step> script() {
    String offer = json(SdpFixtures.whatsappOffer());
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("first ping, no session yet", "{\"id\":1,\"method\":\"ping\",\"params\":{\"interval\":240000},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unknown method", "{\"id\":2,\"method\":\"foo\",\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("create without params", "{\"id\":3,\"method\":\"create\",\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unknown factory", "{\"id\":4,\"method\":\"create\",\"params\":{\"type\":\"Foo\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("create pipeline", "{\"id\":5,\"method\":\"create\",\"params\":{\"type\":\"MediaPipeline\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"}", "pipeline"));
    steps.add(new Step("invoke on unknown object", "{\"id\":6,\"method\":\"invoke\",\"params\":{\"object\":\"nope_kurento.MediaPipeline\",\"operation\":\"getName\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unknown operation", "{\"id\":7,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"fooBar\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("element without pipeline", "{\"id\":8,\"method\":\"create\",\"params\":{\"type\":\"RtpEndpoint\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("element in unknown pipeline", "{\"id\":9,\"method\":\"create\",\"params\":{\"type\":\"RtpEndpoint\",\"constructorParams\":{\"mediaPipeline\":\"nope_kurento.MediaPipeline\"},\"properties\":{}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("create WebRtcEndpoint", "{\"id\":10,\"method\":\"create\",\"params\":{\"type\":\"WebRtcEndpoint\",\"constructorParams\":{\"mediaPipeline\":\"${pipeline}\"},\"properties\":{}},\"jsonrpc\":\"2.0\"}", "webrtc"));
    steps.add(new Step("garbage offer", "{\"id\":11,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"processOffer\",\"operationParams\":{\"offer\":\"garbage\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("answer before offer", "{\"id\":12,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"processAnswer\",\"operationParams\":{\"answer\":\"" + offer + "\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("no local SDP yet", "{\"id\":13,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"getLocalSessionDescriptor\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("no remote SDP yet", "{\"id\":14,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"getRemoteSessionDescriptor\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("gathering before an offer is a no-op", "{\"id\":15,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"gatherCandidates\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("operation without its params", "{\"id\":16,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"processOffer\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unknown event", "{\"id\":17,\"method\":\"subscribe\",\"params\":{\"object\":\"${webrtc}\",\"type\":\"NoSuchEvent\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("subscribe to unknown object", "{\"id\":18,\"method\":\"subscribe\",\"params\":{\"object\":\"nope_kurento.MediaPipeline\",\"type\":\"Error\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("subscribe", "{\"id\":19,\"method\":\"subscribe\",\"params\":{\"object\":\"${webrtc}\",\"type\":\"IceGatheringDone\"},\"jsonrpc\":\"2.0\"}", "subscription"));
    steps.add(new Step("process the WhatsApp offer", "{\"id\":20,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"processOffer\",\"operationParams\":{\"offer\":\"" + offer + "\"}},\"jsonrpc\":\"2.0\"}", "answer"));
    steps.add(new Step("second offer", "{\"id\":21,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"processOffer\",\"operationParams\":{\"offer\":\"" + offer + "\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("offer after negotiation", "{\"id\":22,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"generateOffer\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unsubscribe unknown", "{\"id\":23,\"method\":\"unsubscribe\",\"params\":{\"object\":\"${webrtc}\",\"subscription\":\"nope\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("unsubscribe", "{\"id\":24,\"method\":\"unsubscribe\",\"params\":{\"object\":\"${webrtc}\",\"subscription\":\"${subscription}\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("add a tag", "{\"id\":25,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"addTag\",\"operationParams\":{\"key\":\"k\",\"value\":\"v\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("tag without value", "{\"id\":26,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"addTag\",\"operationParams\":{\"key\":\"k\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("tags", "{\"id\":27,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"getTags\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("missing tag", "{\"id\":28,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"getTag\",\"operationParams\":{\"key\":\"zz\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("children", "{\"id\":29,\"method\":\"invoke\",\"params\":{\"object\":\"${pipeline}\",\"operation\":\"getChildren\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("transcoding", "{\"id\":30,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"isMediaTranscoding\",\"operationParams\":{\"mediaType\":\"AUDIO\"}},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("describe", "{\"id\":31,\"method\":\"describe\",\"params\":{\"object\":\"${webrtc}\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("invoke without object", "{\"id\":32,\"method\":\"invoke\",\"params\":{\"operation\":\"getName\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("wrong jsonrpc version", "{\"id\":33,\"method\":\"ping\",\"jsonrpc\":\"1.0\"}", null));
    steps.add(new Step("transaction with wrong ids", "{\"id\":34,\"method\":\"transaction\",\"params\":{\"operations\":[{\"id\":5,\"method\":\"create\",\"params\":{\"type\":\"MediaPipeline\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"}]},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("transaction stopping at a failure", "{\"id\":35,\"method\":\"transaction\",\"params\":{\"operations\":["
        + "{\"id\":0,\"method\":\"create\",\"params\":{\"type\":\"MediaPipeline\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":1,\"method\":\"create\",\"params\":{\"type\":\"Nope\",\"constructorParams\":{\"mediaPipeline\":\"newref:0\"},\"properties\":{}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":2,\"method\":\"create\",\"params\":{\"type\":\"RtpEndpoint\",\"constructorParams\":{\"mediaPipeline\":\"newref:0\"},\"properties\":{}},\"jsonrpc\":\"2.0\"}]},\"jsonrpc\":\"2.0\"}", null));
    // kurento-client numbers newrefs by created object, Kurento by operation index: this is what the client sends
    // for create, addTag, create, create, connect
    steps.add(new Step("transaction with kurento-client's newref numbering", "{\"id\":36,\"method\":\"transaction\",\"params\":{\"operations\":["
        + "{\"id\":0,\"method\":\"create\",\"params\":{\"type\":\"MediaPipeline\",\"constructorParams\":{},\"properties\":{}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":1,\"method\":\"invoke\",\"params\":{\"object\":\"newref:0\",\"operation\":\"addTag\",\"operationParams\":{\"key\":\"k\",\"value\":\"v\"}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":2,\"method\":\"create\",\"params\":{\"type\":\"WebRtcEndpoint\",\"constructorParams\":{\"mediaPipeline\":\"newref:0\"},\"properties\":{}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":3,\"method\":\"create\",\"params\":{\"type\":\"RtpEndpoint\",\"constructorParams\":{\"mediaPipeline\":\"newref:0\"},\"properties\":{}},\"jsonrpc\":\"2.0\"},"
        + "{\"id\":4,\"method\":\"invoke\",\"params\":{\"object\":\"newref:1\",\"operation\":\"connect\",\"operationParams\":{\"sink\":\"newref:2\",\"mediaType\":\"AUDIO\"}},\"jsonrpc\":\"2.0\"}]},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("release", "{\"id\":37,\"method\":\"release\",\"params\":{\"object\":\"${pipeline}\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("release again", "{\"id\":38,\"method\":\"release\",\"params\":{\"object\":\"${pipeline}\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("child of a released pipeline", "{\"id\":39,\"method\":\"invoke\",\"params\":{\"object\":\"${webrtc}\",\"operation\":\"getName\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("connect to an unknown session", "{\"id\":40,\"method\":\"connect\",\"params\":{\"sessionId\":\"nope\"},\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("connect", "{\"id\":41,\"method\":\"connect\",\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("ping in a session", "{\"id\":42,\"method\":\"ping\",\"jsonrpc\":\"2.0\"}", null));
    steps.add(new Step("close the session", "{\"id\":43,\"method\":\"closeSession\",\"jsonrpc\":\"2.0\"}", null));
    return steps;
  }

  @Test
  void theDoubleAnswersEveryRequestLikeTheRealKurento(RealKms real) {
    List<JsonObject> fromReal = run(real.url());
    List<JsonObject> fromDouble;
    try (KmsDouble kms = KmsDouble.start()) {
      fromDouble = run(kms.url());
      // of the script's bad requests, the one that breaks JSON-RPC itself is the client's fault: the
      // double flags it (and only it), as it would flag the app sending one
      assertThat(kms.protocolViolations()).singleElement().asString().startsWith("invalid JSON-RPC request: ").contains("\"jsonrpc\":\"1.0\"");
    }
    List<Step> steps = script();
    for (int i = 0; i < steps.size(); i++) {
      assertThat(normalize(fromDouble.get(i))).as("%s%n  real:   %s%n  double: %s", steps.get(i).name(), fromReal.get(i), fromDouble.get(i))
          .isEqualTo(normalize(fromReal.get(i)));
    }
    int answer = steps.stream().map(Step::name).toList().indexOf("process the WhatsApp offer");
    for (List<JsonObject> responses : List.of(fromReal, fromDouble)) {
      String sdp = responses.get(answer).getJsonObject("result").getString("value");
      assertThat(sdp).as("both echo the offer's a=ice-lite and answer DTLS active").contains("\r\na=ice-lite\r\n", "\r\na=setup:active\r\n")
          .contains("\r\nm=audio 1 UDP/TLS/RTP/SAVPF 111\r\n").doesNotContain("telephone-event").doesNotContain("a=candidate");
    }
  }

  @Test
  void aMessageThatIsNotAJsonObjectDropsTheConnection(RealKms real) {
    try (KmsDouble kms = KmsDouble.start()) {
      for (String url : List.of(real.url(), kms.url())) {
        try (RawKurentoSocket socket = RawKurentoSocket.open(url)) {
          assertThat(socket.call("not json")).as(url).isNull();
          assertThat(socket.closedByServer()).as(url).isTrue();
        }
      }
      assertThat(kms.protocolViolations()).containsExactly("not a JSON object: not json");
    }
  }

  private static List<JsonObject> run(String url) {
    Map<String, String> captured = new HashMap<>();
    List<JsonObject> responses = new ArrayList<>();
    try (RawKurentoSocket socket = RawKurentoSocket.open(url)) {
      for (Step step : script()) {
        String request = step.request();
        for (Map.Entry<String, String> var : captured.entrySet()) {
          request = request.replace("${" + var.getKey() + "}", var.getValue());
        }
        JsonObject response = socket.call(request);
        assertThat(response).as("an answer from %s to %s", url, step.name()).isNotNull();
        responses.add(response);
        if (step.capture() != null) {
          captured.put(step.capture(), response.getJsonObject("result").getString("value"));
        }
      }
    }
    return responses;
  }

  /** Ids, session ids and SDP bodies differ between servers; everything else must match. */
  static JsonValue normalize(JsonValue value) {
    if (value instanceof JsonString s) {
      String text = s.getString();
      if (text.startsWith("v=0")) {
        return JSON.createValue("<sdp>");
      }
      text = OBJECT_ID.matcher(UUID_LIKE.matcher(text).replaceAll("<id>")).replaceAll("<id>");
      return JSON.createValue(text);
    }
    if (value instanceof JsonObject o) {
      JsonObjectBuilder copy = JSON.createObjectBuilder();
      o.forEach((k, v) -> copy.add(k, normalize(v)));
      return copy.build();
    }
    if (value instanceof jakarta.json.JsonArray a) {
      JsonArrayBuilder copy = JSON.createArrayBuilder();
      a.forEach(v -> copy.add(normalize(v)));
      return copy.build();
    }
    return value;
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
  }
}
