package dev.wavoice.bridge;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import java.util.Objects;

/**
 * What the bridge knows about its call: the id, the channel ({@code whatsapp} or {@code softphone}),
 * the caller's WhatsApp id and name (for the agent and the {@code send_whatsapp_message} tool; null for
 * a softphone) and the codec of the RTP leg.
 */
public record CallContext(CallId callId, String channel, String callerWaId, String callerName, AudioCodec codec) {

  public CallContext {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(codec, "codec");
  }
}
