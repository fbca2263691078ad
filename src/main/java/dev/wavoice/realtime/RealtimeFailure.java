package dev.wavoice.realtime;

/**
 * Why an OpenAI Realtime session could not be opened or could not go on. {@code closeCode} is the
 * WebSocket close code when the server closed (-1 otherwise); {@code errorCode} is OpenAI's
 * {@code error.code} when an error event caused it (null otherwise).
 */
public record RealtimeFailure(Kind kind, String detail, int closeCode, String errorCode) {

  public enum Kind {
    /** The WebSocket could not be opened (network, handshake refused, timeout). */
    CONNECT_FAILED,
    /** OpenAI refused the API key ({@code invalid_api_key}). */
    AUTH_REJECTED,
    /** OpenAI refused a beta-shaped request ({@code beta_api_shape_disabled}, close code 4000). */
    BETA_REJECTED,
    /** OpenAI refused the {@code session.update}, or did not confirm it in time. */
    CONFIG_REJECTED,
    /** {@code session.updated} did not echo the requested audio formats: streaming would be garbage. */
    FORMAT_MISMATCH,
    /** The session hit OpenAI's time limit ({@code session_expired}). */
    SESSION_EXPIRED,
    /** Another error OpenAI reported that ends the session (e.g. {@code model_not_found}, {@code insufficient_quota}). */
    SERVER_ERROR,
    /** The server closed the WebSocket. */
    CLOSED,
    /** The connection broke (I/O error, a send failed, too much unsent data). */
    TRANSPORT
  }

  public static RealtimeFailure of(Kind kind, String detail) {
    return new RealtimeFailure(kind, detail, -1, null);
  }

  @Override
  public String toString() {
    return kind + ": " + detail + (closeCode >= 0 ? " (close code " + closeCode + ")" : "")
        + (errorCode != null ? " (error code " + errorCode + ")" : "");
  }
}
