package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.audio.RtpRemote;
import dev.wavoice.media.MediaListener;
import dev.wavoice.media.MediaSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A call's media session played by a test: it records what the call asked of it. */
final class RecordingMediaSession implements MediaSession {

  final CallId callId;
  final String sdp;
  final MediaListener listener;
  final List<String> remoteCandidates = new CopyOnWriteArrayList<>();
  final AtomicInteger closed = new AtomicInteger();
  volatile String remoteAnswer;

  RecordingMediaSession(CallId callId, String sdp, MediaListener listener) {
    this.callId = callId;
    this.sdp = sdp;
    this.listener = listener;
  }

  @Override
  public CallId callId() {
    return callId;
  }

  @Override
  public String localSdp() {
    return sdp;
  }

  @Override
  public void applyRemoteAnswer(String sdpAnswer) {
    remoteAnswer = sdpAnswer;
  }

  @Override
  public void addRemoteCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    remoteCandidates.add(candidate + "/" + sdpMid + "/" + sdpMLineIndex);
  }

  @Override
  public RtpRemote rtpTarget() {
    return RtpRemote.at(new InetSocketAddress("127.0.0.1", 40000));
  }

  @Override
  public String kmsUrl() {
    return "ws://127.0.0.1:8888/kurento";
  }

  @Override
  public void close() {
    closed.incrementAndGet();
  }
}
