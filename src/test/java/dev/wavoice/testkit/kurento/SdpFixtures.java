package dev.wavoice.testkit.kurento;

import dev.wavoice.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Real SDPs for the media tests, all with loopback addresses except where Kurento itself wrote another
 * (the RtpEndpoint answer names the machine's first interface; nothing is ever sent there).
 *
 * <ul>
 *   <li>{@code whatsapp/whatsapp-offer.sdp}: a WhatsApp offer (ICE-lite).
 *   <li>{@code kurento/kms-offer.sdp}: Kurento 7.3.0's audio-only {@code generateOffer} after gathering
 *       on loopback.
 *   <li>{@code kurento/kms-answer-ice-lite.sdp}: Kurento 7.3.0's answer to the WhatsApp offer after
 *       gathering; it echoes {@code a=ice-lite}.
 *   <li>{@code kurento/kms-rtp-answer-{pcmu,opus}.sdp}: the RtpEndpoint's answers to wavoice's RTP-leg
 *       offers.
 *   <li>{@code caller/caller-offer.sdp}: an offer written by the WebRTC test caller (full ICE).
 * </ul>
 */
public final class SdpFixtures {

  private SdpFixtures() {}

  public static String whatsappOffer() {
    return Fixtures.whatsapp("whatsapp-offer.sdp");
  }

  public static String kmsOffer() {
    return read("kurento/kms-offer.sdp");
  }

  public static String kmsAnswerEchoingIceLite() {
    return read("kurento/kms-answer-ice-lite.sdp");
  }

  public static String kmsRtpAnswerPcmu() {
    return read("kurento/kms-rtp-answer-pcmu.sdp");
  }

  public static String kmsRtpAnswerOpus() {
    return read("kurento/kms-rtp-answer-opus.sdp");
  }

  public static String callerOffer() {
    return read("caller/caller-offer.sdp");
  }

  /** The SDP with a session-level {@code a=ice-lite} added after {@code t=}: drives the ICE-lite path with a full agent. */
  public static String withIceLite(String sdp) {
    if (sdp.contains("\r\na=ice-lite\r\n")) {
      return sdp;
    }
    int t = sdp.indexOf("\r\nt=");
    int end = sdp.indexOf("\r\n", t + 2);
    return sdp.substring(0, end + 2) + "a=ice-lite\r\n" + sdp.substring(end + 2);
  }

  private static String read(String relative) {
    try {
      return Files.readString(Fixtures.dir().resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
