package dev.wavoice.audio;

/**
 * The UDP ports the audio plane may bind ({@code wavoice.media.rtp-port-range}, e.g. {@code 31000-31999}).
 * RTP takes an even port and RTCP the odd port above it (RFC 3550 §11), so a range holds
 * {@link #pairs()} calls.
 */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("port range must be within 1-65535 with first <= last, was " + first + "-" + last);
    }
    if (pairsIn(first, last) == 0) {
      throw new IllegalArgumentException("port range " + first + "-" + last + " holds no even RTP port with its RTCP port above it");
    }
  }

  /** Parses {@code first-last}. */
  public static PortRange parse(String text) {
    String[] parts = text.strip().split("\\s*-\\s*");
    if (parts.length != 2) {
      throw new IllegalArgumentException("port range must look like 31000-31999, was '" + text + "'");
    }
    try {
      return new PortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port range must look like 31000-31999, was '" + text + "'", e);
    }
  }

  /** How many (even RTP, odd RTCP) pairs fit. */
  public int pairs() {
    return pairsIn(first, last);
  }

  /** The RTP port of the {@code index}-th pair. */
  public int rtpPort(int index) {
    return firstEven(first) + 2 * index;
  }

  private static int firstEven(int first) {
    return (first + 1) & ~1;
  }

  private static int pairsIn(int first, int last) {
    int even = firstEven(first);
    return even + 1 > last ? 0 : (last - 1 - even) / 2 + 1;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
