package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audio plane inside the real app on Payara Micro (CDI wiring, the pacer's thread in the container,
 * sockets from the configured range), driven through the test probe as the call layer and the bridge
 * will drive it, against a fake Kurento RtpEndpoint on loopback.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class AudioPlaneIT {

  static JsonObject json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  static HttpResponse<String> post(DoublesStack stack, String path, byte[] body) {
    return stack.app.send(HttpRequest.newBuilder(stack.app.uri(path))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  @Test
  void theAppPacesRtpToKurentoAndReceivesItsAudio(DoublesStack stack) {
    try (FakeKms kms = new FakeKms()) {
      InetSocketAddress target = kms.rtpTarget();
      JsonObject opened = json(post(stack, "/test-probe/audio/calls?id=it-audio-1&codec=pcmu&target="
          + target.getAddress().getHostAddress() + ":" + target.getPort(), new byte[0]));
      int appPort = opened.getInt("port");
      assertThat(appPort % 2).isZero();

      // silence, paced, contiguous, from the SSRC the app announced
      RtpPacket previous = kms.receiveRtp();
      assertThat(previous.ssrc()).isEqualTo(opened.getJsonNumber("ssrc").longValue());
      assertThat(previous.payload()).containsOnly(MuLaw.SILENCE);
      for (int i = 0; i < 5; i++) {
        RtpPacket next = kms.receiveRtp();
        assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
        assertThat(next.timestamp()).isEqualTo((previous.timestamp() + 160) & 0xFFFFFFFFL);
        previous = next;
      }

      // bot audio: three frames, the last padded, then silence again
      byte[] speech = new byte[400];
      Arrays.fill(speech, (byte) 0x42);
      assertThat(post(stack, "/test-probe/audio/calls/it-audio-1/play?item=item_1", speech).statusCode()).isEqualTo(204);
      List<RtpPacket> audio = new ArrayList<>();
      for (int i = 0; i < 100 && audio.size() < 3; i++) {
        RtpPacket next = kms.receiveRtp();
        assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
        if (next.payload()[0] == 0x42) {
          audio.add(next);
        }
        previous = next;
      }
      assertThat(audio).hasSize(3);
      assertThat(audio.get(2).payload()).startsWith(Arrays.copyOf(speech, 80));
      assertThat(Arrays.copyOfRange(audio.get(2).payload(), 80, 160)).containsOnly(MuLaw.SILENCE);
      assertThat(audio.get(1).sequenceNumber()).isEqualTo((audio.get(0).sequenceNumber() + 1) & 0xFFFF);

      // caller audio into the app: five packets become five 20 ms frames
      InetSocketAddress app = new InetSocketAddress(target.getAddress(), appPort);
      for (int seq = 0; seq < 5; seq++) {
        kms.sendRtp(app, 0, seq, 160L * seq, new byte[160]);
      }
      Await.until(Duration.ofSeconds(10), "the app to deliver the caller's frames",
          () -> json(stack.app.get("/test-probe/audio/calls/it-audio-1")).getJsonNumber("framesDelivered").longValue() == 5);

      assertThat(stack.app.send(HttpRequest.newBuilder(stack.app.uri("/test-probe/audio/calls/it-audio-1")).DELETE().build())
          .statusCode()).isEqualTo(204);
      JsonObject pacer = json(stack.app.get("/test-probe/audio/pacer"));
      assertThat(pacer.getInt("streams")).isZero();
      assertThat(pacer.getInt("openCalls")).isZero();
      // the last RTCP of the call carries a BYE
      Await.until(Duration.ofSeconds(10), "an RTCP BYE from the app", () -> {
        byte[] rtcp = kms.receiveRtcp();
        boolean[] bye = {false};
        RtcpPackets.walk(rtcp, 0, rtcp.length, (type, count, buf, off, len) -> bye[0] |= type == RtcpPackets.BYE);
        return bye[0];
      });
    }
  }
}
