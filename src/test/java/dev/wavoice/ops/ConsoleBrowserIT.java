package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.browser.Chromium;
import dev.wavoice.testkit.browser.Pages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The console in headless Chromium against the WAR on Payara Micro (real Kurento, OpenAI and WhatsApp
 * doubles): signing in, what a wrong token shows, the status, an outgoing call placed and hung up, and a
 * refused outgoing call's message, on a desktop-sized and a phone-sized window. The live call and its transcript are in SoftphoneBrowserIT.
 */
@Tag("browser")
@ExtendWith(Stacks.class)
class ConsoleBrowserIT {

  private static RealKmsStack stack;
  private static Chromium chromium;
  private static Pages pages;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
    chromium = Chromium.start(440);
    pages = new Pages(chromium, real.app.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void signedOut() {
    pages.openConsole();
    chromium.script("sessionStorage.clear();");
    chromium.windowSize(Chromium.DESKTOP);
    pages.openConsole();
  }

  @Test
  void aWrongTokenShowsWhatToCheck() {
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("console-sign-in-phone");
    pages.signIn("not-the-token");
    assertThat(pages.awaitText(By.id("sign-in-message"), "Wrong admin token"))
        .contains("wavoice.admin.token", "WAVOICE_ADMIN_TOKEN");
    assertThat(chromium.script("return sessionStorage.getItem('wavoice.admin-token');")).isNull();
    assertThat(pages.visible(By.id("signed-out")).isDisplayed()).isTrue();
    chromium.screenshot("console-wrong-token-phone");
  }

  @Test
  void signedInTheConsoleShowsStatusCallsAndRecords() {
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.awaitText(By.id("feed-state"), "Live feed: connected");
    pages.awaitText(By.id("status"), "Kurento (KMS): UP");
    pages.awaitText(By.id("status"), "OpenAI: configured");
    assertThat(pages.visible(By.id("calls")).isDisplayed()).isTrue();
    // this stack leaves the doctor's WABA, app and public URL unset: not ready, and it says why
    assertThat(pages.awaitText(By.id("doctor-summary"), "NOT ready for calls")).contains("checked");
    assertThat(pages.awaitText(By.id("doctor-results"), "kurento: PASS"))
        .contains("waba-subscription: UNKNOWN", "Fix: Set wavoice.whatsapp.waba-id");
    assertThat(chromium.script("return sessionStorage.getItem('wavoice.admin-token');")).isEqualTo(RealKmsStack.ADMIN_TOKEN);
    chromium.screenshot("console");
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("console-phone");
  }

  @Test
  void anOutgoingCallIsPlacedAndHungUpFromTheConsole() {
    stack.whatsapp.grantCallPermission("4915123456789");
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.awaitText(By.id("feed-state"), "Live feed: connected");
    pages.visible(By.id("dial-to")).sendKeys("+49 151 2345 6789");
    pages.click(By.cssSelector("#dial button[type=submit]"));
    String placed = pages.awaitText(By.id("dial-message"), "OK: call placed, id ");
    String callId = placed.replaceAll("(?s).*id (\\S+)\\. It shows.*", "$1");
    assertThat(callId).startsWith("wacid.");

    // ringing at the user's (Meta connected it, nobody answers): the console shows it, the operator hangs up
    By row = By.cssSelector("#calls tr[data-call='" + callId + "']");
    assertThat(pages.awaitText(row, "dialling")).contains("+4915123456789", "whatsapp");
    chromium.screenshot("console-outgoing-call");
    pages.click(By.cssSelector("#calls tr[data-call='" + callId + "'] button"));
    pages.awaitText(By.id("calls-message"), "OK: hanging up");
    By record = By.cssSelector("#records tr[data-call='" + callId + "']");
    assertThat(pages.awaitText(record, "OPERATOR_HANGUP")).contains("whatsapp");
    assertThat(stack.whatsapp.acceptedActions(callId)).contains("terminate");

    // the record's details: never answered, so no media at accept; the timeline from connect to the end
    pages.click(By.cssSelector("#records tr[data-call='" + callId + "'] button"));
    String details = pages.awaitText(By.id("record-detail"), "Timeline");
    assertThat(details).contains("Media at accept", "connect_sent", "end");
    assertThat(details.indexOf("connect_sent")).isLessThan(details.lastIndexOf("end"));
    chromium.screenshot("console-record-details");
    // this stack records nothing, and the call view says so next to the transcript
    assertThat(pages.awaitText(By.id("record-detail"), "Not recorded.")).contains("Recording", "Transcript");
  }

  @Test
  void anOutgoingCallWithoutPermissionAsksTheUserFirst() {
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.awaitText(By.id("feed-state"), "Live feed: connected");
    pages.visible(By.id("dial-to")).sendKeys("+49 151 9876 5432");
    pages.click(By.cssSelector("#dial button[type=submit]"));
    assertThat(pages.awaitText(By.id("dial-message"), "Asked "))
        .contains("4915198765432", "for call permission", "AWAITING_PERMISSION");
    assertThat(stack.whatsapp.permissionRequestsSentTo("4915198765432")).isEqualTo(1);
  }

  @Test
  void aBadNumberForAnOutgoingCallGetsTheServersReason() {
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.visible(By.id("dial-to")).sendKeys("12ab");
    pages.click(By.cssSelector("#dial button[type=submit]"));
    assertThat(pages.awaitText(By.id("dial-message"), "Error:")).contains("must be the user's WhatsApp number");
    chromium.screenshot("console-dial-refused");
  }
}
