package dev.wavoice.realtime;

/** A function call the model made in a response: {@code arguments} is the model's JSON text. */
public record ToolCall(String responseId, String itemId, String callId, String name, String arguments) {

  @Override
  public String toString() {
    // arguments may hold what the caller said: not for logs
    return "ToolCall[name=" + name + ", callId=" + callId + ", responseId=" + responseId + "]";
  }
}
