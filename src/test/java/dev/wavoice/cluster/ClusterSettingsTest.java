package dev.wavoice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.call.DatabaseSettings;
import dev.wavoice.testkit.MapConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  private static ClusterSettings settings(Map<String, String> values) {
    return ClusterSettings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void offUnlessAskedFor() {
    assertThat(settings(Map.of()).enabled()).isFalse();
    assertThat(settings(Map.of(ClusterSettings.ENABLED, " ")).enabled()).isFalse();
    assertThat(settings(Map.of(ClusterSettings.ENABLED, "true")).enabled()).isTrue();
  }

  @Test
  void aValueOtherThanTrueOrFalseIsNamed() {
    assertThatThrownBy(() -> settings(Map.of(ClusterSettings.ENABLED, "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wavoice.cluster.enabled must be true or false, was 'yes'");
  }

  @Test
  void clusteredOnTheEmbeddedH2IsRefusedNamingTheDatabaseUrl() {
    DatabaseSettings h2 = DatabaseSettings.from(MapConfig.of());
    assertThatThrownBy(() -> settings(Map.of(ClusterSettings.ENABLED, "true")).checkDatabase(h2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wavoice.db.url")
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void clusteredOnPostgresqlOrAloneOnH2IsFine() {
    DatabaseSettings h2 = DatabaseSettings.from(MapConfig.of());
    DatabaseSettings postgres = DatabaseSettings.from(MapConfig.of(DatabaseSettings.URL, "jdbc:postgresql://db/wavoice"));
    assertThatNoException().as("alone on the embedded H2").isThrownBy(() -> settings(Map.of()).checkDatabase(h2));
    assertThatNoException().as("clustered on PostgreSQL")
        .isThrownBy(() -> settings(Map.of(ClusterSettings.ENABLED, "true")).checkDatabase(postgres));
  }
}
