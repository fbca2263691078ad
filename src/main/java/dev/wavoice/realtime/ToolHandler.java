package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.FunctionTool;
import jakarta.json.JsonObject;

/**
 * A tool that whoever opens a session adds to it (the client itself knows only {@code end_call} and the
 * operator's HTTP tools). It runs on the client's tool executor, never on the WebSocket's thread, so it
 * may block.
 */
public interface ToolHandler {

  /** What the model is told about the tool; its name must not be taken by another tool. */
  FunctionTool declaration();

  /** Runs the tool with the model's arguments (a JSON object); a bad argument or a failed service is an outcome, not a throw. */
  Outcome run(JsonObject arguments);

  /** What goes back to the model: the output (JSON) and whether the tool did its job. */
  record Outcome(boolean ok, String output) {

    public static Outcome done(JsonObject output) {
      return new Outcome(true, output.toString());
    }

    public static Outcome failed(String message) {
      return new Outcome(false, ToolRunner.error(message));
    }
  }
}
