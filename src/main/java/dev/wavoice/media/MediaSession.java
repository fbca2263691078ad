package dev.wavoice.media;

import dev.wavoice.CallId;
import dev.wavoice.audio.RtpRemote;

/**
 * One call's media on Kurento: its pipeline (tagged with the call id), the WebRTC endpoint facing
 * WhatsApp and the RTP endpoint facing wavoice. {@link #close()} releases the pipeline; it is idempotent
 * and safe on every path.
 */
public interface MediaSession extends AutoCloseable {

  CallId callId();

  /**
   * The SDP to send to WhatsApp: for an incoming call the answer (for {@code pre_accept} and
   * {@code accept}, identical both times), for an outgoing call the offer (for {@code connect}). It
   * carries all ICE candidates (no trickle), SHA-256 fingerprints only and no {@code a=ice-lite}.
   */
  String localSdp();

  /** Outgoing calls only: applies the callee's SDP answer from the {@code connect} webhook. */
  void applyRemoteAnswer(String sdpAnswer);

  /**
   * A trickled ICE candidate of the remote peer (a browser; WhatsApp does not trickle), as the browser's
   * {@code RTCIceCandidate} names it. Throws {@link MediaException} ({@code BAD_SDP}) when Kurento refuses it.
   */
  void addRemoteCandidate(String candidate, String sdpMid, int sdpMLineIndex);

  /**
   * Kurento's RtpEndpoint as its answer names it: where wavoice sends its RTP (RTCP at port + 1), and the
   * source addresses its packets are accepted from.
   */
  RtpRemote rtpTarget();

  /** The Kurento Media Server this call lives on. */
  String kmsUrl();

  @Override
  void close();
}
