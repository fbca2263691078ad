package dev.wavoice.bridge;

/** Makes the bridge of a call. The OpenAI Realtime implementation is the only one in production. */
public interface BridgeFactory {

  /** Binds the call's RTP socket and returns the (not yet prepared) bridge. */
  CallBridge create(CallContext context, BridgeListener listener);
}
