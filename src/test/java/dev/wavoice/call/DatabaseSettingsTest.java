package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

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
}
