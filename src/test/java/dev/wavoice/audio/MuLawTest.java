package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MuLawTest {

  @Test
  void silenceIsFfAndDecodesToZero() {
    assertThat(MuLaw.encode(0)).isEqualTo(MuLaw.SILENCE).isEqualTo((byte) 0xFF);
    assertThat(MuLaw.decode(MuLaw.SILENCE)).isZero();
    assertThat(MuLaw.decode((byte) 0x7F)).isZero(); // negative zero
  }

  @Test
  void matchesG711ReferencePoints() {
    // G.711 µ-law: code 0x00 is the most negative level, 0x80 the most positive
    assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
    assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(MuLaw.encode(32767)).isEqualTo((byte) 0x80);
    assertThat(MuLaw.encode(-32768)).isEqualTo((byte) 0x00);
    assertThat(MuLaw.decode((byte) 0xFE)).isEqualTo((short) 8);
    assertThat(MuLaw.decode((byte) 0x7E)).isEqualTo((short) -8);
  }

  @Test
  void everyCodeRoundTripsExactly() {
    for (int code = 0; code < 256; code++) {
      short linear = MuLaw.decode((byte) code);
      byte again = MuLaw.encode(linear);
      if (code == 0x7F) {
        assertThat(again).isEqualTo(MuLaw.SILENCE); // -0 and +0 are the same level
      } else {
        assertThat(again).as("code %02x", code).isEqualTo((byte) code);
      }
    }
  }

  @Test
  void quantisationErrorIsAtMostHalfAStepOfTheSegment() {
    for (int pcm = -32768; pcm <= 32767; pcm++) {
      int decoded = MuLaw.decode(MuLaw.encode(pcm));
      int magnitude = Math.min(Math.abs(pcm), 32635);
      // the step of segment e is 2^(e+3); the decoder reconstructs mid-step, so the error is at most half a step
      int halfStep = Integer.highestOneBit(magnitude + 0x84) >> 5;
      int clipped = Math.max(-32635, Math.min(32635, pcm));
      assertThat(Math.abs(clipped - decoded)).as("pcm %d", pcm).isLessThanOrEqualTo(halfStep);
    }
  }

  @Test
  void bulkMethodsMatchSingleSamples() {
    short[] pcm = Signals.tone(1000, 8000, 12000, 0, 160);
    byte[] codes = new byte[160];
    MuLaw.encode(pcm, 0, codes, 0, 160);
    short[] back = new short[160];
    MuLaw.decode(codes, 0, back, 0, 160);
    for (int i = 0; i < 160; i++) {
      assertThat(codes[i]).isEqualTo(MuLaw.encode(pcm[i]));
      assertThat(back[i]).isEqualTo(MuLaw.decode(codes[i]));
    }
    assertThat(Signals.amplitudeAt(back, 0, 160, 1000, 8000)).isCloseTo(12000, org.assertj.core.data.Offset.offset(300.0));
  }
}
