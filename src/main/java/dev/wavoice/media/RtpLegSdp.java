package dev.wavoice.media;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * The plain-RTP leg between Kurento's RtpEndpoint and wavoice: wavoice writes the offer (the address
 * Kurento is to send to and its port, exactly one codec, so Kurento cannot pick another) and reads
 * Kurento's RTP port and address from the answer. wavoice sends to the host it was configured with
 * (127.0.0.1 on one machine), not to the answer's address: Kurento names the machine's first
 * non-loopback interface there. Kurento's packets come from where wavoice sends on one machine and
 * usually across hosts; the answer's address is accepted as a source too.
 */
final class RtpLegSdp {

  private RtpLegSdp() {}

  static String offer(RtpLeg leg) {
    InetAddress address = leg.address().getAddress();
    String ip = (address instanceof Inet6Address ? "IP6 " : "IP4 ") + address.getHostAddress();
    AudioCodec codec = leg.codec();
    int pt = codec.payloadType();
    long ssrc = leg.ssrc() & 0xFFFF_FFFFL;
    return "v=0\r\n"
        + "o=- " + ssrc + " 0 IN " + ip + "\r\n"
        + "s=wavoice\r\n"
        + "c=IN " + ip + "\r\n"
        + "t=0 0\r\n"
        + "m=audio " + leg.address().getPort() + " RTP/AVP " + pt + "\r\n"
        + "a=rtpmap:" + pt + " " + codec.rtpmap() + "\r\n"
        + "a=ptime:" + AudioCodec.FRAME_MS + "\r\n"
        + "a=sendrecv\r\n"
        + "a=ssrc:" + ssrc + " cname:wavoice\r\n";
  }

  /** Kurento's end as its answer names it: the RTP port and the connection address (empty if it names none). */
  record Answer(int port, Optional<InetAddress> address) {}

  /**
   * Kurento's RTP port and address from its answer to {@link #offer}. The answer must accept the audio
   * section with the codec that was offered; anything else is a {@link MediaException.Reason#KMS_ERROR}.
   * An address that is not a literal IP (or the wildcard) is left out: it is only used to recognise packets.
   */
  static Answer answered(String answer, AudioCodec codec) {
    Sdp sdp;
    Sdp.Media media;
    try {
      sdp = Sdp.parse(answer, "the RtpEndpoint answer");
      media = sdp.singleAudio("the RtpEndpoint answer");
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
    return new Answer(media.port(), connectionAddress(media.lines()).or(() -> connectionAddress(sdp.session())));
  }

  /** The {@code c=IN IP4|IP6 <literal>} address among {@code lines}, never resolving a name. */
  private static Optional<InetAddress> connectionAddress(List<String> lines) {
    for (String line : lines) {
      String[] fields = line.startsWith("c=") ? line.substring(2).strip().split(" +") : new String[0];
      if (fields.length == 3 && fields[0].equals("IN") && (fields[1].equals("IP4") || fields[1].equals("IP6"))) {
        String literal = fields[2].split("/")[0]; // a multicast TTL after the slash
        if (literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
          try {
            InetAddress address = InetAddress.getByName(literal); // a literal: no lookup
            return address.isAnyLocalAddress() ? Optional.empty() : Optional.of(address);
          } catch (UnknownHostException e) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }
}
