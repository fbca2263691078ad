package dev.wavoice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

  @Test
  void onlyTheLastFourDigitsShow() {
    assertThat(PhoneNumbers.masked("15551234567")).isEqualTo("*******4567");
    assertThat(PhoneNumbers.masked("+1 (555) 123-4567")).isEqualTo("*******4567");
  }

  @Test
  void shortOrMissingNumbersShowNothing() {
    assertThat(PhoneNumbers.masked("4567")).isEqualTo("****");
    assertThat(PhoneNumbers.masked("")).isEqualTo("****");
    assertThat(PhoneNumbers.masked(null)).isEqualTo("null");
  }
}
