package dev.wavoice.media;

import dev.wavoice.CallId;
import dev.wavoice.audio.RtpLeg;

/** What the call layer needs from the media plane. The Kurento implementation is the only one. */
public interface MediaGateway {

  /**
   * Builds the pipeline of an incoming call on the least loaded Kurento and answers the remote offer
   * (a WhatsApp ICE-lite offer by role inversion, a full-ICE offer directly), after gathering every
   * candidate. Blocks until the answer is ready or fails with {@link MediaException}; on failure nothing
   * is left on Kurento.
   */
  MediaSession answer(CallId callId, String remoteOffer, RtpLeg rtpLeg, MediaListener listener);

  /** Builds the pipeline of an outgoing call and makes the offer (all candidates gathered). */
  MediaSession offer(CallId callId, RtpLeg rtpLeg, MediaListener listener);

  /** True when at least one Kurento Media Server is connected. */
  boolean available();
}
