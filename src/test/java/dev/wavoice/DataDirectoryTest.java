package dev.wavoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {

  @Test
  void unsetOrBlankMeansTheDefaultUnderTheWorkingDirectory() {
    Path fallback = Path.of("data").toAbsolutePath().normalize();
    assertThat(DataDirectory.of(key -> Optional.empty())).isEqualTo(fallback);
    assertThat(DataDirectory.of(key -> Optional.ofNullable(Map.of(DataDirectory.KEY, "  ").get(key)))).isEqualTo(fallback);
  }

  @Test
  void aSetDirectoryIsMadeAbsoluteAndNormalised() {
    assertThat(DataDirectory.of(key -> Optional.ofNullable(Map.of(DataDirectory.KEY, "/srv/wavoice/../wavoice/data").get(key))))
        .isEqualTo(Path.of("/srv/wavoice/data"));
  }
}
