package dev.wavoice.call;

import dev.wavoice.CallId;

/** Publishes live call events as the call layer does, for tests outside this package. */
public final class LiveSignals {

  private LiveSignals() {}

  public static void state(LiveCallEvents events, CallId callId, String state) {
    events.stateChanged(new CallEvent.StateChanged(callId, state));
  }
}
