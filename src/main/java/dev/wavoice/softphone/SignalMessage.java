package dev.wavoice.softphone;

/**
 * One message of the softphone's signalling, either way, as JSON with a {@code type}:
 *
 * <ul>
 *   <li>browser → wavoice: {@code auth} ({@code token}, first), {@code offer} ({@code sdp}),
 *       {@code candidate} ({@code candidate}), {@code hangup};
 *   <li>wavoice → browser: {@code ready}, {@code call} ({@code callId}), {@code answer} ({@code sdp}),
 *       {@code candidate}, {@code state} ({@code state}), {@code ended} ({@code reason}, {@code detail}),
 *       {@code error} ({@code error}, {@code message}).
 * </ul>
 *
 * Fields a type does not use are left out.
 */
public record SignalMessage(
    String type,
    String token,
    String sdp,
    Candidate candidate,
    String callId,
    String state,
    String reason,
    String detail,
    String error,
    String message) {

  /** An ICE candidate as the browser's {@code RTCIceCandidate.toJSON()} writes it. */
  public record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) {}

  static SignalMessage of(String type) {
    return new SignalMessage(type, null, null, null, null, null, null, null, null, null);
  }

  static SignalMessage callCreated(String callId) {
    return new SignalMessage("call", null, null, null, callId, null, null, null, null, null);
  }

  static SignalMessage answer(String sdp) {
    return new SignalMessage("answer", null, sdp, null, null, null, null, null, null, null);
  }

  static SignalMessage candidate(Candidate candidate) {
    return new SignalMessage("candidate", null, null, candidate, null, null, null, null, null, null);
  }

  static SignalMessage state(String state) {
    return new SignalMessage("state", null, null, null, null, state, null, null, null, null);
  }

  static SignalMessage ended(String reason, String detail) {
    return new SignalMessage("ended", null, null, null, null, null, reason, detail, null, null);
  }

  static SignalMessage error(String error, String message) {
    return new SignalMessage("error", null, null, null, null, null, null, null, error, message);
  }
}
