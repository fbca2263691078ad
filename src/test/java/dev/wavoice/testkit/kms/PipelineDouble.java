package dev.wavoice.testkit.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A MediaPipeline in the double: owns its elements; releasing it releases them. */
public final class PipelineDouble extends MediaObjectDouble {

  final List<ElementDouble> elements = new ArrayList<>();

  PipelineDouble(KmsDouble kms, String id, String ownerSession) {
    super(kms, id, "MediaPipeline", ownerSession);
  }

  @Override
  Set<String> events() {
    return OBJECT_EVENTS;
  }

  @Override
  List<String> hierarchy() {
    return List.of("kurento.MediaObject");
  }

  @Override
  PipelineDouble pipeline() {
    return this;
  }

  @Override
  List<ElementDouble> children() {
    return elements.stream().filter(e -> !e.released).toList();
  }

  public List<WebRtcEndpointDouble> webRtcEndpoints() {
    synchronized (kms.lock) {
      return elements.stream().filter(e -> e instanceof WebRtcEndpointDouble && !e.released).map(e -> (WebRtcEndpointDouble) e).toList();
    }
  }

  public List<RtpEndpointDouble> rtpEndpoints() {
    synchronized (kms.lock) {
      return elements.stream().filter(e -> e instanceof RtpEndpointDouble && !e.released).map(e -> (RtpEndpointDouble) e).toList();
    }
  }

  public WebRtcEndpointDouble webRtc() {
    return webRtcEndpoints().stream().findFirst().orElseThrow(() -> new AssertionError("pipeline " + id + " has no WebRtcEndpoint"));
  }

  public RtpEndpointDouble rtp() {
    return rtpEndpoints().stream().findFirst().orElseThrow(() -> new AssertionError("pipeline " + id + " has no RtpEndpoint"));
  }

  /** Simulates a pipeline error event (e.g. {@code UNEXPECTED_PIPELINE_ERROR}) as KMS sends it. */
  public void raiseError(String errorType, int errorCode, String description) {
    synchronized (kms.lock) {
      ElementDouble.emitError(this, errorType, errorCode, description);
    }
  }

  @Override
  void release() {
    for (ElementDouble element : elements) {
      kms.forget(element);
      element.release();
    }
    kms.arrivals().released(this);
    super.release();
  }
}
