package dev.wavoice.bridge;

import dev.wavoice.audio.RtpLeg;
import dev.wavoice.audio.RtpRemote;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * One call's bridge, in the order the call layer uses it:
 *
 * <ol>
 *   <li>{@link #rtpLeg()}: the call's RTP socket is bound; its address and codec go into the media
 *       plane's RtpEndpoint offer.
 *   <li>{@link #prepare()}: the OpenAI session is opened and configured while media is being set up
 *       (pre-warm); it completes when OpenAI confirmed the audio formats, or fails with the reason.
 *   <li>{@link #connectRtp(RtpRemote)}: where Kurento's RtpEndpoint listens, and whom to accept RTP from.
 *   <li>{@link #start()}: once the call is accepted and its media connected: audio both ways, silence
 *       frames when the bot is quiet, the greeting if configured.
 *   <li>{@link #close()}: idempotent; stops streaming, closes the OpenAI session and the RTP socket,
 *       and returns usage and transcript for the record.
 * </ol>
 */
public interface CallBridge {

  RtpLeg rtpLeg();

  CompletionStage<Void> prepare();

  void connectRtp(RtpRemote kurento);

  void start();

  BridgeResult close();

  /**
   * RTP packets received from Kurento so far (the caller's side); the call layer's inactivity check reads
   * it every so often. Cheap: no snapshot, no allocation.
   */
  long callerPackets();
}
