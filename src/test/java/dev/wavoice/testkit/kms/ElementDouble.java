package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A MediaElement in the double: its connections to other elements (per media type) and its media flow
 * state. Kurento names flows from the element's side: "in" is what reaches its sink pads from the
 * pipeline, "out" is what its source pads give to the pipeline.
 */
public abstract class ElementDouble extends MediaObjectDouble {

  static final Set<String> ELEMENT_EVENTS = Set.of("Error", "ElementConnected", "ElementDisconnected",
      "MediaFlowOutStateChanged", "MediaFlowInStateChanged", "MediaTranscodingStateChanged");
  private static final List<String> MEDIA_TYPES = List.of("AUDIO", "VIDEO", "DATA");

  final PipelineDouble pipeline;
  /** sink element → media types connected to it. */
  final Map<ElementDouble, Set<String>> sinks = new LinkedHashMap<>();
  boolean flowingIn;
  boolean flowingOut;

  ElementDouble(KmsDouble kms, String id, String type, String ownerSession, PipelineDouble pipeline) {
    super(kms, id, type, ownerSession);
    this.pipeline = pipeline;
  }

  @Override
  PipelineDouble pipeline() {
    return pipeline;
  }

  @Override
  JsonValue invoke(String operation, JsonObject params) {
    switch (operation) {
      case "connect":
      case "disconnect": {
        ElementDouble sink = sink(params);
        String mediaType = optionalString(params, "mediaType");
        if (mediaType != null && !MEDIA_TYPES.contains(mediaType)) {
          throw KmsError.marshall("'mediaType' parameter should be a MediaType");
        }
        List<String> types = mediaType == null ? MEDIA_TYPES : List.of(mediaType);
        for (String t : types) {
          boolean changed = operation.equals("connect")
              ? sinks.computeIfAbsent(sink, k -> new HashSet<>()).add(t)
              : sinks.getOrDefault(sink, new HashSet<>()).remove(t);
          if (changed) {
            emit(operation.equals("connect") ? "ElementConnected" : "ElementDisconnected", JSON.createObjectBuilder()
                .add("mediaType", t).add("sink", sink.id).add("sinkMediaDescription", "default")
                .add("sourceMediaDescription", "default"));
          }
        }
        return JsonValue.NULL;
      }
      case "isMediaFlowingIn":
        string(params, "mediaType");
        return flowingIn && "AUDIO".equals(string(params, "mediaType")) ? JsonValue.TRUE : JsonValue.FALSE;
      case "isMediaFlowingOut":
        string(params, "mediaType");
        return flowingOut && "AUDIO".equals(string(params, "mediaType")) ? JsonValue.TRUE : JsonValue.FALSE;
      case "isMediaTranscoding":
        string(params, "mediaType");
        return JsonValue.FALSE;
      default:
        return super.invoke(operation, params);
    }
  }

  private ElementDouble sink(JsonObject params) {
    String sinkId = string(params, "sink");
    MediaObjectDouble object = kms.object(sinkId);
    if (!(object instanceof ElementDouble sink)) {
      throw KmsError.objectNotFound(sinkId);
    }
    if (sink.pipeline != pipeline) {
      throw KmsError.connectError("Cannot connect elements of different pipelines");
    }
    return sink;
  }

  /** The elements this one feeds audio to. */
  List<ElementDouble> audioSinks() {
    return sinks.entrySet().stream().filter(e -> e.getValue().contains("AUDIO") && !e.getKey().released).map(Map.Entry::getKey).toList();
  }

  @Override
  Set<String> events() {
    return ELEMENT_EVENTS;
  }

  void flowIn(boolean flowing) {
    if (flowingIn != flowing) {
      flowingIn = flowing;
      emit("MediaFlowInStateChanged", flowFields(flowing));
    }
  }

  void flowOut(boolean flowing) {
    if (flowingOut != flowing) {
      flowingOut = flowing;
      emit("MediaFlowOutStateChanged", flowFields(flowing));
    }
  }

  private static jakarta.json.JsonObjectBuilder flowFields(boolean flowing) {
    return JSON.createObjectBuilder().add("mediaType", "AUDIO").add("padName", "default").add("state", flowing ? "FLOWING" : "NOT_FLOWING");
  }

  /** Simulates a Kurento {@code Error} event on this element (e.g. {@code STREAM_ERROR_DECODE}). */
  public void raiseError(String errorType, int errorCode, String description) {
    synchronized (kms.lock) {
      emitError(this, errorType, errorCode, description);
    }
  }

  static void emitError(MediaObjectDouble source, String errorType, int errorCode, String description) {
    // data.type carries the error type; the event's own name travels in params.value.type
    source.emit("Error", JSON.createObjectBuilder().add("description", description).add("errorCode", errorCode).add("type", errorType));
  }

  /** Called by the double's audio engine with one 20 ms frame of 48 kHz PCM arriving at this element from {@code from}. */
  void acceptAudio(ElementDouble from, short[] pcm48k) {}
}
