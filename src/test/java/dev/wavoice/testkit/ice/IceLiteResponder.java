package dev.wavoice.testkit.ice;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An ICE-lite peer like WhatsApp's, reduced to what proves who controls ICE: a UDP socket on loopback
 * that answers STUN binding requests (RFC 8489: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY keyed with its own
 * {@code ice-pwd}, FINGERPRINT) and never sends a check of its own (RFC 8445 §2.5). It records every
 * request (ICE-CONTROLLING or ICE-CONTROLLED, USE-CANDIDATE, whether its integrity and fingerprint were
 * right) and notices a DTLS ClientHello. It does not do DTLS itself.
 */
public final class IceLiteResponder implements AutoCloseable {

  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int BINDING_SUCCESS = 0x0101;
  private static final int USERNAME = 0x0006;
  private static final int MESSAGE_INTEGRITY = 0x0008;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  private static final int PRIORITY = 0x0024;
  private static final int USE_CANDIDATE = 0x0025;
  private static final int FINGERPRINT = 0x8028;
  private static final int ICE_CONTROLLED = 0x8029;
  private static final int ICE_CONTROLLING = 0x802A;
  private static final long FINGERPRINT_XOR = 0x5354554EL;

  /** One binding request as received. */
  public record BindingRequest(InetSocketAddress from, String username, boolean controlling, boolean controlled,
      boolean useCandidate, boolean integrityOk, boolean fingerprintOk) {}

  private final DatagramSocket socket;
  private final String template;
  private final String ufrag;
  private final String pwd;
  private final List<BindingRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger clientHellos = new AtomicInteger();
  private final AtomicInteger otherPackets = new AtomicInteger();

  private IceLiteResponder(DatagramSocket socket, String template) {
    this.socket = socket;
    this.template = template;
    this.ufrag = attribute(template, "a=ice-ufrag:");
    this.pwd = attribute(template, "a=ice-pwd:");
    Thread.ofPlatform().daemon().name("ice-lite-responder").start(this::serve);
  }

  /** A responder whose offer is the default WhatsApp offer fixture. */
  public static IceLiteResponder open() {
    return open("whatsapp-offer.sdp");
  }

  /**
   * A responder whose offer is this WhatsApp offer fixture with its port: its credentials (a {@code +} in
   * the ufrag, {@code ==} in the password) are the fixture's, so Kurento's checks are keyed with them.
   */
  public static IceLiteResponder open(String offerFixture) {
    try {
      return new IceLiteResponder(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
          Fixtures.whatsapp(offerFixture));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /**
   * Its offer: the fixture (WhatsApp's: ICE-lite, IPv4 and IPv6 host candidates on one port, opus 111,
   * a=ssrc, setup:actpass) with this responder's port in {@code m=} and in every candidate; only the
   * IPv4 loopback candidate is served.
   */
  public String offer() {
    int port = address().getPort();
    return template.lines().map(line -> {
      if (line.startsWith("m=audio ")) {
        return line.replaceFirst("^m=audio \\d+ ", "m=audio " + port + " ");
      }
      if (line.startsWith("a=candidate:")) {
        return line.replaceFirst(" (\\S+) \\d+ typ ", " $1 " + port + " typ ");
      }
      return line;
    }).collect(Collectors.joining("\r\n", "", "\r\n"));
  }

  public String ufrag() {
    return ufrag;
  }

  public String pwd() {
    return pwd;
  }

  private static String attribute(String sdp, String prefix) {
    return sdp.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip()).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the offer has no " + prefix));
  }

  public List<BindingRequest> requests() {
    return List.copyOf(requests);
  }

  public int clientHellos() {
    return clientHellos.get();
  }

  public int otherPackets() {
    return otherPackets.get();
  }

  public void awaitClientHello(Duration deadline) {
    Await.until(deadline, "a DTLS ClientHello (binding requests so far: " + requests.size() + ")", () -> clientHellos.get() > 0);
  }

  private void serve() {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        return;
      }
      byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      int first = data.length > 0 ? data[0] & 0xFF : -1;
      if (first <= 3 && data.length >= 20 && ByteBuffer.wrap(data, 4, 4).getInt() == MAGIC_COOKIE) {
        onStun(data, from);
      } else if (first >= 20 && first <= 63 && isClientHello(data)) {
        clientHellos.incrementAndGet(); // RFC 7983: 20..63 is DTLS
      } else {
        otherPackets.incrementAndGet();
      }
    }
  }

  /** DTLS record: content type 22 (handshake) at 0, handshake type 1 (ClientHello) after the 13-byte record header. */
  private static boolean isClientHello(byte[] data) {
    return data.length > 13 && data[0] == 22 && data[13] == 1;
  }

  private void onStun(byte[] message, InetSocketAddress from) {
    ByteBuffer in = ByteBuffer.wrap(message);
    int type = in.getShort(0) & 0xFFFF;
    if (type != BINDING_REQUEST) {
      otherPackets.incrementAndGet();
      return;
    }
    String username = null;
    boolean controlling = false;
    boolean controlled = false;
    boolean useCandidate = false;
    int integrityAt = -1;
    int fingerprintAt = -1;
    int at = 20;
    int end = Math.min(message.length, 20 + (in.getShort(2) & 0xFFFF));
    while (at + 4 <= end) {
      int attribute = in.getShort(at) & 0xFFFF;
      int length = in.getShort(at + 2) & 0xFFFF;
      switch (attribute) {
        case USERNAME -> username = new String(message, at + 4, length, StandardCharsets.UTF_8);
        case ICE_CONTROLLING -> controlling = true;
        case ICE_CONTROLLED -> controlled = true;
        case USE_CANDIDATE -> useCandidate = true;
        case MESSAGE_INTEGRITY -> integrityAt = at;
        case FINGERPRINT -> fingerprintAt = at;
        default -> { }
      }
      at += 4 + ((length + 3) & ~3);
    }
    boolean integrityOk = integrityAt > 0 && Arrays.equals(
        Arrays.copyOfRange(message, integrityAt + 4, integrityAt + 24), integrity(message, integrityAt));
    boolean fingerprintOk = fingerprintAt > 0
        && ByteBuffer.wrap(message, fingerprintAt + 4, 4).getInt() == (int) fingerprint(message, fingerprintAt);
    requests.add(new BindingRequest(from, username, controlling, controlled, useCandidate, integrityOk, fingerprintOk));
    if (integrityOk && username != null && username.startsWith(ufrag + ":")) {
      send(successResponse(Arrays.copyOfRange(message, 8, 20), from), from);
    }
  }

  private byte[] successResponse(byte[] transactionId, InetSocketAddress to) {
    ByteBuffer out = ByteBuffer.allocate(20 + 12 + 24 + 8);
    out.putShort((short) BINDING_SUCCESS).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
    byte[] address = to.getAddress().getAddress();
    out.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) 8).put((byte) 0).put((byte) 0x01)
        .putShort((short) (to.getPort() ^ (MAGIC_COOKIE >>> 16)))
        .putInt(ByteBuffer.wrap(address).getInt() ^ MAGIC_COOKIE);
    byte[] message = out.array();
    int integrityAt = 32;
    byte[] mac = integrity(message, integrityAt);
    out.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
    int fingerprintAt = integrityAt + 24;
    long crc = fingerprint(message, fingerprintAt);
    out.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) crc);
    ByteBuffer.wrap(message).putShort(2, (short) (message.length - 20));
    return message;
  }

  /** HMAC-SHA1 with our ice-pwd over the message up to the attribute, the header length counting it (RFC 8489 §14.5). */
  private byte[] integrity(byte[] message, int integrityAt) {
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

  /** CRC-32 of the message up to the attribute, the header length counting it, XOR 0x5354554e (RFC 8489 §14.7). */
  private static long fingerprint(byte[] message, int fingerprintAt) {
    byte[] covered = Arrays.copyOf(message, fingerprintAt);
    ByteBuffer.wrap(covered).putShort(2, (short) (fingerprintAt - 20 + 8));
    CRC32 crc = new CRC32();
    crc.update(covered);
    return crc.getValue() ^ FINGERPRINT_XOR;
  }

  private void send(byte[] message, InetSocketAddress to) {
    try {
      socket.send(new DatagramPacket(message, message.length, to));
    } catch (IOException e) {
      // the peer went away
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
