package dev.wavoice.media;

import dev.wavoice.audio.AudioCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;

/**
 * wavoice's end of the plain-RTP leg ({@code wavoice.media.*}): the address the audio plane binds its
 * RTP sockets to, the port range it takes them from (kept apart from Kurento's own range), and the one
 * codec offered to Kurento's RtpEndpoint. The media plane writes the offer from the {@link RtpLeg} the
 * audio plane hands it; both read these settings.
 */
public record RtpSettings(InetAddress bindAddress, int minPort, int maxPort, AudioCodec codec) {

  public static final String BIND_ADDRESS = "wavoice.media.rtp-bind-address";
  public static final String PORT_RANGE = "wavoice.media.rtp-port-range";
  public static final String CODEC = "wavoice.media.codec";

  public RtpSettings {
    if (minPort < 1024 || maxPort > 65535 || minPort > maxPort) {
      throw new IllegalArgumentException(PORT_RANGE + " must be within 1024-65535 with min <= max, was " + minPort + "-" + maxPort);
    }
    if (minPort % 2 != 0 || maxPort - minPort < 1) {
      // RTP on an even port, RTCP on the next one
      throw new IllegalArgumentException(PORT_RANGE + " must start at an even port and hold at least one RTP/RTCP pair, was "
          + minPort + "-" + maxPort);
    }
  }

  public static RtpSettings from(Function<String, Optional<String>> lookup) {
    Function<String, Optional<String>> text = key -> lookup.apply(key).map(String::strip).filter(s -> !s.isEmpty());
    String address = text.apply(BIND_ADDRESS).orElse("127.0.0.1");
    InetAddress bind;
    try {
      bind = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(BIND_ADDRESS + " is not an address: '" + address + "'", e);
    }
    String range = text.apply(PORT_RANGE).orElse("31000-31999");
    String[] parts = range.split("-");
    int min;
    int max;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      min = Integer.parseInt(parts[0].strip());
      max = Integer.parseInt(parts[1].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORT_RANGE + " must look like 31000-31999, was '" + range + "'", e);
    }
    return new RtpSettings(bind, min, max, AudioCodec.fromConfig(text.apply(CODEC).orElse("pcmu")));
  }
}
