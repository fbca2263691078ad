package dev.wavoice.media;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The plain-RTP leg between Kurento's RtpEndpoint and wavoice: wavoice writes the offer (its own UDP
 * address and port, exactly one codec, so Kurento cannot pick another) and reads Kurento's RTP port
 * from the answer. The answer's address is not used: Kurento names the machine's first interface
 * there, while wavoice sends to the host it was configured with (127.0.0.1 on one machine).
 */
final class RtpLegSdp {

  private RtpLegSdp() {}

  static String offer(RtpLeg leg) {
    InetAddress address = leg.local().getAddress();
    String ip = (address instanceof Inet6Address ? "IP6 " : "IP4 ") + address.getHostAddress();
    AudioCodec codec = leg.codec();
    int pt = codec.payloadType();
    long ssrc = leg.ssrc() & 0xFFFF_FFFFL;
    return "v=0\r\n"
        + "o=- " + ssrc + " 0 IN " + ip + "\r\n"
        + "s=wavoice\r\n"
        + "c=IN " + ip + "\r\n"
        + "t=0 0\r\n"
        + "m=audio " + leg.local().getPort() + " RTP/AVP " + pt + "\r\n"
        + "a=rtpmap:" + pt + " " + codec.rtpmap() + "\r\n"
        + "a=ptime:" + AudioCodec.FRAME_MS + "\r\n"
        + "a=sendrecv\r\n"
        + "a=ssrc:" + ssrc + " cname:wavoice\r\n";
  }

  /**
   * Kurento's RTP port from its answer to {@link #offer}. The answer must accept the audio section with
   * the codec that was offered; anything else is a {@link MediaException.Reason#KMS_ERROR}.
   */
  static int answeredPort(String answer, AudioCodec codec) {
    Sdp.Media media;
    try {
      media = Sdp.parse(answer, "the RtpEndpoint answer").singleAudio("the RtpEndpoint answer");
    } catch (MediaException e) {
      throw new MediaException(MediaException.Reason.KMS_ERROR, e.getMessage(), e);
    }
    String pt = Integer.toString(codec.payloadType());
    if (media.port() <= 0 || !media.formats().contains(pt)) {
      throw new MediaException(MediaException.Reason.KMS_ERROR,
          "Kurento refused " + codec.rtpmap() + " on the RTP leg: " + media.formats() + " on port " + media.port());
    }
    String encoding = media.encodingOf(pt).orElse(codec.rtpmap());
    if (!encoding.toLowerCase(Locale.ROOT).equals(codec.rtpmap().toLowerCase(Locale.ROOT))) {
      throw new MediaException(MediaException.Reason.KMS_ERROR,
          "Kurento answered " + encoding + " at payload type " + pt + " on the RTP leg, expected " + codec.rtpmap());
    }
    return media.port();
  }
}
