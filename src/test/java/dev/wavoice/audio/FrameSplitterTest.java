package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameSplitterTest {

  final List<byte[]> frames = new ArrayList<>();
  final FrameSplitter splitter = new FrameSplitter(4, (frame, off, len) -> {
    byte[] copy = new byte[len];
    System.arraycopy(frame, off, copy, 0, len);
    frames.add(copy);
  });

  @Test
  void cutsPiecesOfAnySizeIntoExactFramesCarryingTheRemainder() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte value = 0;
    for (int size : new int[] {1, 2, 9, 3, 0, 4, 5}) {
      byte[] piece = new byte[size];
      for (int i = 0; i < size; i++) {
        piece[i] = value++;
      }
      all.writeBytes(piece);
      splitter.write(piece, 0, size);
    }
    // 24 bytes: six frames, nothing pending
    assertThat(frames).hasSize(6);
    assertThat(splitter.pending()).isZero();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    frames.forEach(joined::writeBytes);
    assertThat(joined.toByteArray()).isEqualTo(all.toByteArray());
  }

  @Test
  void finishPadsTheLastPartialFrameWithSilence() {
    splitter.write(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6);
    assertThat(splitter.pending()).isEqualTo(2);
    assertThat(splitter.finish((byte) 0x7F)).isEqualTo(2);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(1)).containsExactly(5, 6, 0x7F, 0x7F);
    assertThat(splitter.finish((byte) 0x7F)).isZero();
  }

  @Test
  void fillAndResetWork() {
    splitter.write(new byte[] {9}, 0, 1);
    splitter.fill((byte) -1, 7);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0)).containsExactly(9, -1, -1, -1);
    splitter.write(new byte[] {1, 2}, 0, 2);
    splitter.reset();
    assertThat(splitter.pending()).isZero();
    assertThat(frames).hasSize(2);
  }
}
