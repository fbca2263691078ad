package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.MapConfig;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void aloneRecordsMayBeServedFromThisProcesssCache() {
    DatabaseSettings alone = DatabaseSettings.from(MapConfig.of("wavoice.db.url", "jdbc:postgresql://db/wavoice"));
    assertThat(alone.sharedWithOthers()).isFalse();
    assertThat(alone.jpaProperties()).doesNotContainKey("eclipselink.cache.shared.default");
  }

  @Test
  void inAClusterRecordsAreReadFromTheDatabaseWhereTheOtherMembersWriteThem() {
    DatabaseSettings clustered = DatabaseSettings.from(MapConfig.of(
        "wavoice.db.url", "jdbc:postgresql://db/wavoice", "wavoice.cluster.enabled", "true"));
    assertThat(clustered.sharedWithOthers()).isTrue();
    assertThat(clustered.jpaProperties()).containsEntry("eclipselink.cache.shared.default", "false")
        .containsEntry("jakarta.persistence.jdbc.url", "jdbc:postgresql://db/wavoice");
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> DatabaseSettings.from(MapConfig.of("wavoice.db.url", "jdbc:mysql://db/wavoice")))
        .hasMessage("wavoice.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
    assertThatThrownBy(() -> DatabaseSettings.from(MapConfig.of("wavoice.db.max-pending-writes", "10")))
        .hasMessage("wavoice.db.max-pending-writes must be 100 to 10000000, was 10");
    assertThatThrownBy(() -> DatabaseSettings.from(MapConfig.of("wavoice.db.shutdown-drain-seconds", "ten")))
        .hasMessageContaining("wavoice.db.shutdown-drain-seconds must be a whole number");
  }
}
