package dev.wavoice.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The peer's ICE-lite side on the wire, driven by STUN binding requests written here (RFC 8489, RFC 8445):
 * it answers a controlling check on either candidate (IPv4 and IPv6, one port) with its own credentials,
 * a controlled one with 487, a forged one with 401, and sends nothing of its own while it runs.
 */
class WhatsAppPeerIceTest {

  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int USERNAME = 0x0006;
  private static final int MESSAGE_INTEGRITY = 0x0008;
  private static final int ERROR_CODE = 0x0009;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  private static final int PRIORITY = 0x0024;
  private static final int USE_CANDIDATE = 0x0025;
  private static final int FINGERPRINT = 0x8028;
  private static final int ICE_CONTROLLED = 0x8029;
  private static final int ICE_CONTROLLING = 0x802A;

  record Received(InetSocketAddress to, byte[] data) {
    int type() {
      return ByteBuffer.wrap(data).getShort(0) & 0xFFFF;
    }
  }

  @Test
  void itAnswersChecksOnBothFamiliesAndNeverSendsOne() throws Exception {
    try (WhatsAppPeer peer = WhatsAppPeer.offering(1, 440);
        DatagramSocket v4 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        DatagramSocket v6 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      String offer = peer.awaitOffer();
      int port = Integer.parseInt(value(offer, "m=audio (\\d+) "));
      String ufrag = value(offer, "a=ice-ufrag:(\\S+)");
      String pwd = value(offer, "a=ice-pwd:(\\S+)");
      List<Received> received = new CopyOnWriteArrayList<>();
      listen(v4, received);
      listen(v6, received);

      byte[] nominate = request(ufrag + ":kurento1", pwd, ICE_CONTROLLING, true);
      send(v4, nominate, new InetSocketAddress("127.0.0.1", port));
      byte[] check = request(ufrag + ":kurento1", pwd, ICE_CONTROLLING, false);
      send(v6, check, new InetSocketAddress("::1", port));
      byte[] controlled = request(ufrag + ":kurento1", pwd, ICE_CONTROLLED, false);
      send(v4, controlled, new InetSocketAddress("127.0.0.1", port));
      byte[] forged = request(ufrag + ":kurento1", "not-the-password-at-all", ICE_CONTROLLING, false);
      send(v4, forged, new InetSocketAddress("127.0.0.1", port));
      // a valid answer lets its media time run out; DTLS never starts, so it ends on its own
      peer.answer(String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
          "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=ice-ufrag:kurento1", "a=ice-pwd:" + "k".repeat(24),
          "a=fingerprint:sha-256 " + String.join(":", Collections.nCopies(32, "AB")), "a=setup:active",
          "a=mid:audio", "a=rtpmap:111 opus/48000/2", ""));
      WhatsAppPeer.Report report = peer.awaitReport(Duration.ofSeconds(20));

      assertThat(received).as("every packet it sent answers one of our requests").allSatisfy(r ->
          assertThat(r.type()).isIn(0x0101, 0x0111));
      assertThat(response(received, nominate)).satisfies(r -> {
        assertThat(r.type()).as("binding success").isEqualTo(0x0101);
        assertThat(integrityOk(r.data(), pwd)).as("MESSAGE-INTEGRITY with its ice-pwd").isTrue();
        assertThat(fingerprintOk(r.data())).isTrue();
        assertThat(xorMappedPort(r.data())).isEqualTo(v4.getLocalPort());
      });
      assertThat(response(received, check)).satisfies(r -> {
        assertThat(r.to().getAddress().getHostAddress()).as("answered over IPv6").isIn("0:0:0:0:0:0:0:1", "::1");
        assertThat(r.type()).isEqualTo(0x0101);
        assertThat(xorMappedPort(r.data())).isEqualTo(v6.getLocalPort());
      });
      assertThat(response(received, controlled)).satisfies(r -> {
        assertThat(r.type()).as("binding error").isEqualTo(0x0111);
        assertThat(errorCode(r.data())).as("487 Role Conflict").isEqualTo(487);
      });
      assertThat(errorCode(response(received, forged).data())).as("401 Unauthorized").isEqualTo(401);

      assertThat(report.bindingRequests()).isEqualTo(4);
      assertThat(report.bindingRequestsSent()).isZero();
      assertThat(report.remoteNominated()).isTrue();
      assertThat(report.roleConflictResponses()).isOne();
      assertThat(report.raw()).contains("\"selected_remote\":\"127.0.0.1:" + v4.getLocalPort() + "\"");
      assertThat(report.dtlsConnected()).isFalse();
      assertThat(report.exitCode()).isEqualTo(2);
    }
  }

  private static String value(String sdp, String regex) {
    Matcher m = Pattern.compile(regex).matcher(sdp);
    assertThat(m.find()).as(regex + " in " + sdp).isTrue();
    return m.group(1);
  }

  private static void listen(DatagramSocket socket, List<Received> into) throws IOException {
    socket.setSoTimeout(100);
    Thread.ofPlatform().daemon().start(() -> {
      byte[] buffer = new byte[1500];
      while (!socket.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          into.add(new Received((InetSocketAddress) socket.getLocalSocketAddress(), Arrays.copyOf(buffer, packet.getLength())));
        } catch (SocketTimeoutException e) {
          // keep listening until the socket is closed
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  private static void send(DatagramSocket socket, byte[] message, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(message, message.length, to));
  }

  private static Received response(List<Received> received, byte[] request) {
    byte[] transaction = Arrays.copyOfRange(request, 8, 20);
    return received.stream().filter(r -> Arrays.equals(Arrays.copyOfRange(r.data(), 8, 20), transaction)).findFirst()
        .orElseThrow(() -> new AssertionError("no response to a request; got " + received.size() + " packets"));
  }

  /** A binding request: USERNAME, PRIORITY, the role with a tie-breaker, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT. */
  private static byte[] request(String username, String pwd, int role, boolean useCandidate) {
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    int userPadded = (user.length + 3) & ~3;
    ByteBuffer out = ByteBuffer.allocate(20 + 4 + userPadded + 8 + 12 + (useCandidate ? 4 : 0) + 24 + 8);
    byte[] transaction = new byte[12];
    ThreadLocalRandom.current().nextBytes(transaction);
    out.putShort((short) 0x0001).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction);
    out.putShort((short) USERNAME).putShort((short) user.length).put(user).put(new byte[userPadded - user.length]);
    out.putShort((short) PRIORITY).putShort((short) 4).putInt(1845501695);
    out.putShort((short) role).putShort((short) 8).putLong(ThreadLocalRandom.current().nextLong());
    if (useCandidate) {
      out.putShort((short) USE_CANDIDATE).putShort((short) 0);
    }
    byte[] message = out.array();
    int integrityAt = out.position();
    out.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(hmac(message, integrityAt, pwd));
    int fingerprintAt = out.position();
    out.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) crc(message, fingerprintAt));
    ByteBuffer.wrap(message).putShort(2, (short) (message.length - 20));
    return message;
  }

  /** HMAC-SHA1 over the message up to the attribute, the header length counting it (RFC 8489 §14.5). */
  private static byte[] hmac(byte[] message, int integrityAt, String pwd) {
    byte[] covered = Arrays.copyOf(message, integrityAt);
    ByteBuffer.wrap(covered).putShort(2, (short) (integrityAt - 20 + 24));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(pwd.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return mac.doFinal(covered);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CRC-32 up to the attribute, the header length counting it, XOR 0x5354554e (RFC 8489 §14.7). */
  private static long crc(byte[] message, int fingerprintAt) {
    byte[] covered = Arrays.copyOf(message, fingerprintAt);
    ByteBuffer.wrap(covered).putShort(2, (short) (fingerprintAt - 20 + 8));
    CRC32 crc = new CRC32();
    crc.update(covered);
    return crc.getValue() ^ 0x5354554EL;
  }

  private static int attribute(byte[] message, int type) {
    ByteBuffer in = ByteBuffer.wrap(message);
    for (int at = 20; at + 4 <= message.length; at += 4 + (((in.getShort(at + 2) & 0xFFFF) + 3) & ~3)) {
      if ((in.getShort(at) & 0xFFFF) == type) {
        return at;
      }
    }
    return -1;
  }

  private static boolean integrityOk(byte[] message, String pwd) {
    int at = attribute(message, MESSAGE_INTEGRITY);
    return at > 0 && Arrays.equals(Arrays.copyOfRange(message, at + 4, at + 24), hmac(message, at, pwd));
  }

  private static boolean fingerprintOk(byte[] message) {
    int at = attribute(message, FINGERPRINT);
    return at > 0 && ByteBuffer.wrap(message).getInt(at + 4) == (int) crc(message, at);
  }

  private static int xorMappedPort(byte[] message) {
    int at = attribute(message, XOR_MAPPED_ADDRESS);
    return (ByteBuffer.wrap(message).getShort(at + 6) & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
  }

  private static int errorCode(byte[] message) {
    int at = attribute(message, ERROR_CODE);
    return (message[at + 6] & 0x07) * 100 + (message[at + 7] & 0xFF);
  }
}
