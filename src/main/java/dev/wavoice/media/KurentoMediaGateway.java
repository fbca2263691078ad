package dev.wavoice.media;

import dev.wavoice.CallId;
import dev.wavoice.audio.RtpLeg;
import java.util.Objects;

/** The media plane on Kurento: one pipeline per call on the least loaded connected KMS. */
public final class KurentoMediaGateway implements MediaGateway {

  private final KurentoPool pool;

  public KurentoMediaGateway(KurentoPool pool) {
    this.pool = pool;
  }

  @Override
  public MediaSession answer(CallId callId, String remoteOffer, RtpLeg rtpLeg, MediaListener listener) {
    check(callId, rtpLeg, listener);
    Objects.requireNonNull(remoteOffer, "remote offer");
    return KurentoMediaSession.answer(kms(), pool.settings(), callId, remoteOffer, rtpLeg, listener);
  }

  @Override
  public MediaSession offer(CallId callId, RtpLeg rtpLeg, MediaListener listener) {
    check(callId, rtpLeg, listener);
    return KurentoMediaSession.offer(kms(), pool.settings(), callId, rtpLeg, listener);
  }

  @Override
  public boolean available() {
    return pool.available();
  }

  private KmsConnection kms() {
    return pool.pick().orElseThrow(() -> new MediaException(MediaException.Reason.KMS_UNAVAILABLE,
        "no Kurento Media Server is connected: " + pool.status()));
  }

  private static void check(CallId callId, RtpLeg rtpLeg, MediaListener listener) {
    Objects.requireNonNull(callId, "call id");
    Objects.requireNonNull(rtpLeg, "RTP leg");
    Objects.requireNonNull(listener, "media listener");
  }
}
