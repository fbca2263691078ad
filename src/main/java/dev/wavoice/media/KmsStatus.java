package dev.wavoice.media;

/**
 * One Kurento Media Server as operators see it.
 *
 * @param url its WebSocket URL without user info
 * @param state {@code CONNECTING}, {@code CONNECTED}, {@code RECONNECTING} or {@code CLOSED}
 * @param openSessions calls with a pipeline on it
 * @param problem the last connection problem, empty when none
 * @param version the server's version as it last reported it ({@code getInfo}), empty when not known yet
 */
public record KmsStatus(String url, String state, int openSessions, String problem, String version) {

  public boolean connected() {
    return "CONNECTED".equals(state);
  }
}
