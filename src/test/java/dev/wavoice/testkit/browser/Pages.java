package dev.wavoice.testkit.browser;

import dev.wavoice.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What the browser tests do on wavoice's pages (the console and the softphone), as an operator would. */
public final class Pages {

  public static final Duration WAIT = Duration.ofSeconds(30);

  private final Chromium chromium;
  private final String baseUrl;

  public Pages(Chromium chromium, String baseUrl) {
    this.chromium = chromium;
    this.baseUrl = baseUrl;
  }

  public Chromium chromium() {
    return chromium;
  }

  public void openConsole() {
    chromium.open(baseUrl + "/");
  }

  public void openSoftphone() {
    chromium.open(baseUrl + "/softphone.html");
  }

  /** Types the token into the sign-in form and submits it. */
  public void signIn(String token) {
    WebElement input = visible(By.id("token"));
    input.clear();
    input.sendKeys(token);
    chromium.driver().findElement(By.cssSelector("#sign-in button[type=submit]")).click();
  }

  public WebElement visible(By by) {
    return Await.value(WAIT, "a visible " + by, () -> {
      List<WebElement> found = chromium.driver().findElements(by);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  public String text(By by) {
    List<WebElement> found = chromium.driver().findElements(by);
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** Waits until the element's text contains {@code expected}; returns the whole text. */
  public String awaitText(By by, String expected) {
    String[] last = {""};
    try {
      return Await.value(WAIT, "'" + expected + "' in " + by, () -> {
        last[0] = text(by);
        return last[0].contains(expected) ? last[0] : null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (last seen: '" + last[0] + "')", e.getCause());
    }
  }

  public void click(By by) {
    visible(by).click();
  }

  /** The softphone's inbound audio as WebRTC's statistics count it: bytesReceived, packetsReceived, audioLevel. */
  public Map<?, ?> softphoneInboundAudio() {
    return (Map<?, ?>) chromium.await("""
        const call = window.wavoiceSoftphone;
        if (!call || !call.peer || !call.peer.peerConnection) return null;
        const report = await call.peer.peerConnection.getStats();
        for (const s of report.values()) {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            return {bytesReceived: s.bytesReceived || 0, packetsReceived: s.packetsReceived || 0,
                audioLevel: s.audioLevel || 0, totalAudioEnergy: s.totalAudioEnergy || 0};
          }
        }
        return null;
        """);
  }

  /** The softphone's outbound audio (the fake microphone): bytesSent. */
  public long softphoneBytesSent() {
    Object sent = chromium.await("""
        const call = window.wavoiceSoftphone;
        if (!call || !call.peer || !call.peer.peerConnection) return 0;
        const report = await call.peer.peerConnection.getStats();
        for (const s of report.values()) {
          if (s.type === 'outbound-rtp' && s.kind === 'audio') return s.bytesSent || 0;
        }
        return 0;
        """);
    return ((Number) sent).longValue();
  }
}
