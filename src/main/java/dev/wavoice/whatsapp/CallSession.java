package dev.wavoice.whatsapp;

/** The SDP of a call: {@code sdp_type} is {@code offer} or {@code answer}. */
public record CallSession(String sdpType, String sdp) {

  public static CallSession offer(String sdp) {
    return new CallSession("offer", sdp);
  }

  public static CallSession answer(String sdp) {
    return new CallSession("answer", sdp);
  }
}
