package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.app.UnconfiguredStack;
import dev.wavoice.testkit.browser.Chromium;
import dev.wavoice.testkit.browser.Pages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The console at a newcomer's first run (nothing configured, no Kurento) in headless Chromium, under the
 * page's Content-Security-Policy: signed in with the generated token, it says what is not ready and links
 * the docs.
 */
@Tag("browser")
@ExtendWith(Stacks.class)
class FirstRunBrowserIT {

  private static UnconfiguredStack stack;
  private static Chromium chromium;
  private static Pages pages;

  @BeforeAll
  static void start(UnconfiguredStack unconfigured) {
    stack = unconfigured;
    chromium = Chromium.start(440);
    pages = new Pages(chromium, unconfigured.app.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void signedInWithTheGeneratedTokenTheConsoleSaysWhatIsNotReady() throws IOException {
    String token = Files.readString(stack.app.dir().resolve("data").resolve(AdminToken.FILE), StandardCharsets.UTF_8).strip();
    chromium.windowSize(Chromium.DESKTOP);
    pages.openConsole();
    pages.signIn(token);
    pages.awaitText(By.id("status"), "Ready: NO");
    assertThat(pages.text(By.id("status"))).contains("Kurento (KMS): DOWN", "config: DOWN", "OpenAI: not configured");
    String facts = pages.awaitText(By.id("not-ready-facts"), "docker compose up -d kms");
    assertThat(facts).contains("settings missing for calls", "wavoice.openai.api-key", "wavoice.whatsapp.app-secret",
        "Kurento Media Server is not reachable", "Read docs/configuration.md", "Read docs/operations.md");
    assertThat(chromium.script("return [...document.querySelectorAll('#not-ready-facts a')].map(a => a.href).join(' ');"))
        .asString().contains(stack.app.baseUrl() + "/docs/configuration.md").contains(stack.app.baseUrl() + "/docs/operations.md");
    chromium.screenshot("console-first-run");
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("console-first-run-phone");
  }
}
