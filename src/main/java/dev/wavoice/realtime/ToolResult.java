package dev.wavoice.realtime;

/**
 * What came of a tool call. {@code output} is the {@code function_call_output} sent back to the model
 * (a JSON text; an error becomes {@code {"error": "..."}} with {@code ok} false). {@code executed} is
 * false when the call was not run because its response did not complete (cancelled, failed,
 * incomplete). {@code endsCall} is set by {@code end_call}.
 */
public record ToolResult(ToolCall call, boolean executed, boolean ok, String output, boolean endsCall, long durationMs) {

  @Override
  public String toString() {
    return "ToolResult[" + call + ", executed=" + executed + ", ok=" + ok + ", endsCall=" + endsCall
        + ", durationMs=" + durationMs + "]";
  }
}
