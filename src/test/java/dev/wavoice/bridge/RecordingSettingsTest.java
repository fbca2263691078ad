package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.CallId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingSettingsTest {

  static RecordingSettings of(Map<String, String> values) {
    return RecordingSettings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void offByDefaultWithTheDirectoryUnderTheDataDirAndADisclosure() {
    RecordingSettings defaults = of(Map.of());
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.dir()).isEqualTo(Path.of("./data/recordings").toAbsolutePath().normalize());
    assertThat(defaults.disclosure()).isEqualTo("This call is recorded.");
    assertThat(of(Map.of("wavoice.data-dir", "/srv/wavoice")).dir()).isEqualTo(Path.of("/srv/wavoice/recordings"));
  }

  @Test
  void theKeysAreRead() {
    RecordingSettings s = of(Map.of("wavoice.recording.enabled", "TRUE", "wavoice.recording.dir", "/var/rec",
        "wavoice.recording.disclosure", "We record calls for quality."));
    assertThat(s.enabled()).isTrue();
    assertThat(s.dir()).isEqualTo(Path.of("/var/rec"));
    assertThat(s.disclosure()).isEqualTo("We record calls for quality.");
  }

  @Test
  void aWrongSwitchNamesItsKey() {
    assertThatThrownBy(() -> of(Map.of("wavoice.recording.enabled", "yes")))
        .hasMessageContaining("wavoice.recording.enabled").hasMessageContaining("yes");
  }

  @Test
  void aCallsFileStaysInTheDirectoryAndTwoIdsNeverShareOne() {
    RecordingSettings s = of(Map.of("wavoice.recording.dir", "/var/rec"));
    assertThat(s.file(new CallId("wacid.ABC_12-x="))).isEqualTo(Path.of("/var/rec/wacid.ABC_12-x=.ogg"));
    Path slash = s.file(new CallId("wacid.a/../../etc"));
    Path plus = s.file(new CallId("wacid.a+..+..+etc"));
    assertThat(slash.getParent()).isEqualTo(Path.of("/var/rec"));
    assertThat(plus.getParent()).isEqualTo(Path.of("/var/rec"));
    assertThat(slash).isNotEqualTo(plus);
  }
}
