package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.audio.MuLaw;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge as deployed: the real WAR on Payara Micro makes it through the CDI-wired
 * {@link BridgeFactory} (its audio plane with the pacer's thread, its Realtime client, its metrics),
 * against the OpenAI double and a UDP peer standing in for Kurento's RtpEndpoint. Driven through the
 * test probe as the call layer would drive it; observed at the double, on the wire and at
 * {@code /metrics}.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class BridgeIT {

  static final Duration WAIT = Duration.ofSeconds(20);

  static JsonObject json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }

  static boolean silent(KurentoPeer.Packet packet) {
    for (byte b : packet.payload()) {
      if (b != MuLaw.SILENCE) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theDeployedFactoryBridgesCallerAudioToOpenAiAndTheBotBackToRtpWithBargeIn(DoublesStack stack) {
    int before = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false));
    stack.openai.enqueue(Turn.of().audio(3000, 440, "Let me tell you all about our opening hours."));
    try (KurentoPeer kurento = new KurentoPeer()) {
      InetSocketAddress target = kurento.rtpTarget();
      JsonObject opened = json(stack.app.send(HttpRequest.newBuilder(stack.app.uri("/test-probe/bridge/calls?id=it-bridge-1"
              + "&codec=pcmu&caller=13175550999&target=" + target.getAddress().getHostAddress() + ":" + target.getPort()))
          .POST(HttpRequest.BodyPublishers.noBody()).build()));
      assertThat(opened.getString("factory")).contains("RealtimeBridgeFactory");
      assertThat(opened.getString("codec")).isEqualTo("PCMU");
      InetSocketAddress leg = new InetSocketAddress(opened.getString("host"), opened.getInt("port"));
      DoubleSession remote = stack.openai.awaitSession(before, WAIT);
      assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
          .map(t -> t.asJsonObject().getString("name")).toList())
          .containsExactly("end_call", "send_whatsapp_message", DoublesStack.HTTP_TOOL);

      // the caller's audio reaches OpenAI as sent
      ByteArrayOutputStream spoken = new ByteArrayOutputStream();
      for (int i = 0; i < 10; i++) {
        byte[] frame = Tones.pattern(160, i);
        spoken.writeBytes(frame);
        kurento.send(leg, 0, 160, frame);
      }
      Await.until(WAIT, "the caller's audio at OpenAI", () -> remote.inputAudioBytes() == 1600);
      assertThat(remote.inputAudio()).isEqualTo(spoken.toByteArray());

      // the caller's turn ends, the bot answers: paced RTP from the app's pacer thread
      remote.enqueueCallerTranscript("When are you open?");
      remote.speechStarted();
      remote.speechStopped();
      List<KurentoPeer.Packet> audio = new ArrayList<>();
      KurentoPeer.Packet[] previous = {null};
      Await.until(WAIT, "25 frames of the bot's answer", () -> {
        for (KurentoPeer.Packet p; (p = kurento.poll()) != null; ) {
          if (previous[0] != null) {
            assertThat(p.sequenceNumber()).isEqualTo((previous[0].sequenceNumber() + 1) & 0xFFFF);
            assertThat(p.timestamp()).isEqualTo((previous[0].timestamp() + 160) & 0xFFFFFFFFL);
          }
          assertThat(p.ssrc()).isEqualTo(opened.getJsonNumber("ssrc").longValue());
          previous[0] = p;
          if (!silent(p)) {
            audio.add(p);
          }
        }
        return audio.size() >= 25;
      });

      // the caller interrupts: truncated at what was sent, less Kurento's 100 ms
      String item = remote.sent("response.output_audio.delta").get(0).getString("item_id");
      remote.speechStarted();
      Await.until(WAIT, "the truncate", () -> !remote.received("conversation.item.truncate").isEmpty());
      JsonObject truncate = remote.received("conversation.item.truncate").get(0);
      assertThat(truncate.getString("item_id")).isEqualTo(item);
      assertThat(truncate.getInt("audio_end_ms")).isBetween(audio.size() * 20 - 100, 3000 - 100);
      Await.until(WAIT, "OpenAI's confirmation", () -> !remote.sent("conversation.item.truncated").isEmpty());
      assertThat(remote.sent("error")).isEmpty();

      JsonObject reported = json(stack.app.get("/test-probe/bridge/calls/it-bridge-1"));
      assertThat(reported.getJsonArray("events").getString(0)).isEqualTo("first bot audio");
      JsonObject result = json(stack.app.send(HttpRequest.newBuilder(stack.app.uri("/test-probe/bridge/calls/it-bridge-1"))
          .DELETE().build()));
      assertThat(result.getBoolean("same_result_again")).isTrue();
      assertThat(result.getInt("barge_ins")).isEqualTo(1);
      assertThat(result.getJsonNumber("output_audio_tokens").longValue()).isPositive();
      assertThat(result.getJsonArray("transcript").getJsonObject(0).getString("text")).isEqualTo("When are you open?");
      assertThat(result.getJsonArray("transcript").getJsonObject(1).getBoolean("interrupted")).isTrue();
      Await.until(WAIT, "the OpenAI session closed", remote::isClosed);
      assertThat(remote.closeCode()).isEqualTo(1000);

      String metrics = stack.app.get("/metrics").body();
      assertThat(metrics).containsPattern("wavoice_bridge_barge_ins_total\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridge_caller_frames_total\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridge_bot_frames_total\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridges_open\\{[^}]*\\} 0");
      // the bridge's timings: Payara writes _max in seconds, the quantiles in the recorded microseconds
      assertThat(metrics).containsPattern("wavoice_bridge_caller_delay_seconds_count\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridge_bot_delay_seconds_count\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridge_barge_in_flush_seconds_count\\{[^}]*\\} [1-9]");
      assertThat(metrics).containsPattern("wavoice_bridge_bot_delay_seconds_max\\{[^}]*\\} 0\\.\\d");
      assertThat(metrics).containsPattern("wavoice_bridge_bot_delay_seconds\\{[^}]*quantile=\"0.5\"\\} [1-9]\\d*\\.0\\b");
      stack.openai.assertNoViolations();
    }
  }
}
