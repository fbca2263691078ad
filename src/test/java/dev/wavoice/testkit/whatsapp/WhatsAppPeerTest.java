package dev.wavoice.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WhatsApp peer's offer against WhatsApp's shape, and the audio files it is given and leaves behind. */
class WhatsAppPeerTest {

  /** An arrival time on the wall clock (ns since the Unix epoch), as the peer records them. */
  private static final long T0 = 1_796_000_000_123_456_789L;

  @Test
  void thePeersOfferHasTheShapeOfWhatsAppsOffer() {
    try (WhatsAppPeer peer = WhatsAppPeer.offering(1, 440)) {
      String offer = peer.awaitOffer();
      assertThat(WhatsAppOfferChecks.check(offer)).as(offer).isEmpty();
      assertThat(offer).as("the ufrag exercises the '+' WhatsApp's may hold").containsPattern("a=ice-ufrag:\\S*\\+");
      assertThat(offer).contains("a=candidate:", " 127.0.0.1 ", " ::1 ");
    }
  }

  @Test
  void theChecksRejectAFullIceOfferInAnotherShape() {
    String fullIce = String.join("\r\n", "v=0", "o=- 1657321033428661744 0 IN IP4 0.0.0.0", "s=-", "t=0 0",
        "a=group:BUNDLE audio0", "m=audio 60832 UDP/TLS/RTP/SAVPF 111 126", "c=IN IP4 127.0.0.1", "a=setup:actpass",
        "a=ice-ufrag:XIfV7a8Trr61MfVujiUIoewaAG09vL9c", "a=ice-pwd:kThQqzSo5XN/UKOr5dvb0xaqFX/J1OLS", "a=rtcp-mux",
        "a=sendrecv", "a=rtpmap:111 OPUS/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:126 telephone-event/8000", "a=fmtp:126 0-15", "a=ssrc:766481279 cname:user1297545378@host-22f703d2",
        "a=mid:audio0", "a=fingerprint:sha-256 28:02:9E:22:98:ED:6D:5B:04:81:15:FB:BF:FB:55:DC:E0:99:00:15:CE:FB:4B:A5:DD:7B:DE:FA:B2:F2:A4:DF",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 60832 typ host", "") ;
    assertThat(SdpChecks.offer(fullIce)).isEmpty();
    assertThat(WhatsAppOfferChecks.check(fullIce)).contains("a=ice-lite is required", "a=group:BUNDLE audio is required",
        WhatsAppOfferChecks.OPUS_FMTP + " is required", "WhatsApp's offer has no a=fmtp:126");
    assertThat(WhatsAppOfferChecks.check(fullIce)).anyMatch(p -> p.startsWith("exactly two host candidates"))
        .anyMatch(p -> p.startsWith("a=ice-ufrag must be 16 characters"));
  }

  @Test
  void theToneItSendsDecodesBackToItsFrequency(@TempDir Path dir) throws IOException {
    Path tone = dir.resolve("tone.opus");
    PeerAudio.writeTone(tone, 440, 2);
    Path recording = dir.resolve("heard.rtp");
    // the peer's recording format, one packet per frame, with a packet of another payload type in between
    try (InputStream in = Files.newInputStream(tone); DataInputStream frames = new DataInputStream(in);
        OutputStream file = Files.newOutputStream(recording); DataOutputStream out = new DataOutputStream(file)) {
      for (int i = 0; frames.available() > 0; i++) {
        byte[] frame = frames.readNBytes(frames.readUnsignedShort());
        if (i == 50) {
          continue; // one packet lost: a 40 ms gap
        }
        out.writeLong(T0 + i * 20_000_000L);
        out.writeShort(i);
        out.writeInt(i * 960);
        out.writeByte(111);
        out.writeShort(frame.length);
        out.write(frame);
        if (i == 10) {
          out.writeLong(T0 + i * 20_000_000L);
          out.writeShort(1000);
          out.writeInt(0);
          out.writeByte(126);
          out.writeShort(4);
          out.write(new byte[] {1, 2, 3, 4});
        }
      }
    }
    PeerAudio.Heard heard = PeerAudio.read(recording, 111);
    assertThat(heard.packets()).isEqualTo(99);
    assertThat(heard.audioMs()).isEqualTo(1980);
    assertThat(heard.lostPackets()).isOne();
    assertThat(heard.maxGapMs()).isEqualTo(40);
    // each packet's first decoded sample and its arrival: the frame after the lost one follows at once in the audio
    assertThat(heard.packetStarts()).hasSize(99).startsWith(0, 960, 1920);
    assertThat(heard.packetStarts()[50]).isEqualTo(50 * 960);
    assertThat(heard.arrivalNanos()).hasSize(99).startsWith(T0, T0 + 20_000_000L);
    assertThat(heard.arrivalNanos()[50]).isEqualTo(T0 + 51 * 20_000_000L);
    assertThat(heard.dominantHz()).isCloseTo(440, within(15.0));
    assertThat(heard.rmsDbfs()).isCloseTo(-13.5, within(2.0));
    assertThat(PeerAudio.read(dir.resolve("missing.rtp"), 111).dominantHz()).isNull();
  }
}
